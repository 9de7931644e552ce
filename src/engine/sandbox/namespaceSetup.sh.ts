// The shell script that turns a fresh mount namespace into Lambda's filesystem before the
// runtime starts (run through `unshare --mount --propagation private`, so that nothing of
// it reaches the host's mounts): the code at /var/task and our runtime at /var/runtime,
// read-only; the layers merged at /opt, read-only; /tmp a tmpfs of the ephemeral-storage
// size; the engine's files for the runtime at /var/lld, the cache's at /var/lld-cache; the runtime's Node at /var/lang/bin
// (its folder bound there: wherever it lives on the host, even under /tmp); every other mount read-only
// (per-mount bind remounts, which never touch the host's). Then `exec` of the runtime, so
// its pid is the process the engine started.
//
// Arguments: code root, runtime folder, /tmp size in MB, layers (':'-separated, later
// ones first, may be empty), a staging folder (empty, in the environment's folder), the
// environment's folder, `ro` or `rw` (the read-only filesystem turned off), the folder of
// the runtime's Node executable, the per-user cache (its transpiled TypeScript and the
// runtime's AWS SDK are bound read-only at /var/lld-cache, so a cache even under /tmp
// stays in sight), then the command to run.

export const NAMESPACE_SETUP = `set -e
code="$1"; runtime="$2"; tmp_mb="$3"; layers="$4"; stage="$5"; envdir="$6"; mode="$7"; nodedir="$8"; cache="$9"
shift 9
mount --make-rprivate /
mount -t tmpfs -o size=1m,mode=755 lld-stage "$stage"
mkdir "$stage/task" "$stage/runtime" "$stage/opt" "$stage/lld" "$stage/lang" "$stage/typescript" "$stage/aws-sdk"
mount --bind "$code" "$stage/task"
mount --bind "$runtime" "$stage/runtime"
mount --bind "$envdir" "$stage/lld"
mount --bind "$nodedir" "$stage/lang"
for part in typescript aws-sdk; do
  mount --bind "$cache/$part" "$stage/$part"
  mount -o remount,bind,ro "$stage/$part"
done
case "$layers" in
  "") mount -t tmpfs -o size=1m,mode=755 lld-opt "$stage/opt" ;;
  *:*) mount -t overlay lld-opt -o "lowerdir=$layers" "$stage/opt" ;;
  *) mount --bind "$layers" "$stage/opt" ;;
esac
mount -t tmpfs -o size=1m,mode=755 lld-var /var
mkdir /var/task /var/runtime /var/lld /var/lang /var/lld-cache /var/lld-cache/typescript /var/lld-cache/aws-sdk
mount --move "$stage/typescript" /var/lld-cache/typescript
mount --move "$stage/aws-sdk" /var/lld-cache/aws-sdk
mount --move "$stage/task" /var/task
mount --move "$stage/runtime" /var/runtime
mount --move "$stage/lld" /var/lld
mkdir /var/lang/bin 2>/dev/null || true
mount --move "$stage/lang" /var/lang/bin
mount --move "$stage/opt" /opt
mount -t tmpfs -o "size=\${tmp_mb}m,mode=1777" lld-tmp /tmp
[ "$mode" = ro ] && for point in $(awk '{ print $2 }' /proc/self/mounts); do
  case "$point" in
    /proc|/proc/*|/sys|/sys/*|/dev|/dev/*|/tmp) ;;
    *) mount -o remount,bind,ro "$point" 2>/dev/null || true ;;
  esac
done
cd /var/task
exec "$@"
`;
