#!/bin/sh
# An offline base image for `./mvnw -Pimage package`, for machines that reach Debian's packages but no container
# registry: Debian's C library and a Java runtime made by jlink from the JDK that runs this script (21 or later), laid
# out as in eclipse-temurin (/opt/java/openjdk), saved as a docker-archive tarball that Jib takes as its base image:
#
#   deploy/image/base-image.sh target/base-image.tar
#   ./mvnw -Pimage package -Dtessera.image.base=tar://$PWD/target/base-image.tar
#
# Needs: jlink (JAVA_HOME or PATH), apt-get and dpkg-deb (Debian or Ubuntu), podman (daemonless; only to write the
# tarball). With a registry in reach none of this is needed: the profile's default base is eclipse-temurin:21-jre.
set -eu

out=$(realpath -m "${1:-target/base-image.tar}")
jlink=${JAVA_HOME:+$JAVA_HOME/bin/}jlink
# What the server's jar needs (jdeps --print-module-deps), plus locales, zip file systems and EC crypto for TLS.
modules=java.base,java.compiler,java.desktop,java.instrument,java.management,java.naming,java.net.http,java.rmi
modules=$modules,java.scripting,java.security.jgss,java.security.sasl,java.sql,jdk.crypto.ec,jdk.localedata
modules=$modules,jdk.management,jdk.net,jdk.unsupported,jdk.zipfs

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/root
mkdir -p "$root/opt/java" "$root/etc" "$root/tmp" "$root/bin" "$root/usr/bin"
chmod 1777 "$root/tmp"

"$jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --output "$root/opt/java/openjdk"

# The C library the runtime links against (libc, libm, libdl, libpthread, librt, the loader).
(cd "$work" && apt-get download libc6 >/dev/null)
dpkg-deb -x "$work"/libc6_*.deb "$root"
mkdir -p "$root/lib64"
ln -sf /lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 "$root/lib64/ld-linux-x86-64.so.2"

# Users: root and the server's own (10001, group 0 as OpenShift expects of arbitrary user ids).
printf 'root:x:0:0:root:/root:/usr/sbin/nologin\ntessera:x:10001:0:Tessera:/var/lib/tessera:/usr/sbin/nologin\n' \
    > "$root/etc/passwd"
printf 'root:x:0:\n' > "$root/etc/group"
printf 'hosts: files dns\n' > "$root/etc/nsswitch.conf"

image=localhost/tessera-base:offline
tar -C "$root" -c . | podman import \
    --change 'ENV PATH=/opt/java/openjdk/bin:/usr/bin:/bin' \
    --change 'ENV JAVA_HOME=/opt/java/openjdk' \
    --change 'ENV LANG=C.UTF-8' \
    - "$image" >/dev/null
mkdir -p "$(dirname "$out")"
rm -f "$out"
podman save --format docker-archive -o "$out" "$image"
echo "base image written to $out"
