#!/bin/sh
# Builds the self-contained tarball (docs/packaging.md): wal-j with a jlink-ed Java runtime of only the modules it
# needs, so that a host without any JDK runs it. Run by `./mvnw package -Ptarball` (the tarball profile), after the
# jars, man pages and completion exist. Usage: tarball.sh TARGET_DIR VERSION ARCH MODULES JDK_HOME
# Layout (the launcher finds the jars in ../lib/wal-j/ and prefers lib/wal-j/runtime/bin/java):
#   wal-j-VERSION/bin/wal-j  lib/wal-j/{wal-j.jar,wal-j-client.jar,wal-j-jit.json,wal-j-client,runtime/}  share/{man,bash-completion,doc,wal-j/systemd}
set -eu
[ $# -eq 5 ] || { echo "usage: $0 TARGET_DIR VERSION ARCH MODULES JDK_HOME" >&2; exit 2; }
target=$1 version=$2 arch=$3 modules=$4 jdk=$5
here=$(cd "$(dirname "$0")" && pwd)
name=wal-j-$version
stage=$target/tarball-stage
top=$stage/$name
rm -rf "$stage"
mkdir -p "$top/bin" "$top/lib/wal-j" "$top/share/man/man1" "$top/share/bash-completion/completions" \
    "$top/share/doc/wal-j/docs" "$top/share/wal-j/systemd"

# No --compress: compressed resources are inflated at every class load, and archive_command starts a JVM per
# segment. --generate-cds-archive: the runtime's own class-data archive (lib/server/classes.jsa), the base the
# launcher's per-user archives build on.
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
    --generate-cds-archive --output "$top/lib/wal-j/runtime"
# the archive for heaps of 32 GiB and more (no compressed pointers), 11 MB: the launcher caps the heap at 256 MiB
rm -f "$top/lib/wal-j/runtime/lib/server/classes_nocoops.jsa"

install -m 755 "$here/wal-j" "$top/bin/wal-j"
install -m 644 "$target/wal-j.jar" "$target/wal-j-client.jar" "$here/wal-j-jit.json" "$top/lib/wal-j/"
# the runtime makes the tarball architecture-specific anyway, so the native daemon client goes in when it was built
if [ -f "$target/wal-j-client" ]; then
    install -m 755 "$target/wal-j-client" "$top/lib/wal-j/"
fi
install -m 644 "$target"/packaging/man/man1/*.1.gz "$top/share/man/man1/"
install -m 644 "$target/packaging/bash-completion/wal-j" "$top/share/bash-completion/completions/"
install -m 644 "$here/../README.md" "$top/share/doc/wal-j/"
install -m 644 "$here/../LICENSE" "$top/share/doc/wal-j/"
install -m 644 "$here"/../docs/*.md "$top/share/doc/wal-j/docs/"
install -m 644 "$here"/*.service "$here"/*.timer "$top/share/wal-j/systemd/"

out=$target/$name-linux-$arch.tar.gz
tar -C "$stage" --owner=0 --group=0 --numeric-owner --sort=name -czf "$out.tmp" "$name"
mv -f "$out.tmp" "$out"
echo "[wal-j] $out: $(du -k "$out" | cut -f1) KiB; runtime $(du -sk "$top/lib/wal-j/runtime" | cut -f1) KiB ($modules)"
