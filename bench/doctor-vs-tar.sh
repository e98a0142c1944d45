#!/usr/bin/env bash
# The image doctor on a ~2 GiB tar.gz against `tar tzf` of the same file, in the same run.
# Usage: bench/doctor-vs-tar.sh [size in MiB, default 2048]   (WORK=<dir> to choose the scratch folder)
# Needs: a built tree (mvn -B -q package -DskipTests), tar, gzip, python3.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SIZE_MB=${1:-2048}
WORK=${WORK:-$(mktemp -d)}
IMAGE=$WORK/root.tgz

if [ ! -f "$IMAGE" ]; then
  echo "building a ${SIZE_MB} MiB root tarball in $WORK ..." >&2
  TREE=$WORK/tree
  mkdir -p "$TREE"/{etc,boot,usr/bin,usr/sbin,usr/lib,var/lib/data,curtin}
  printf 'ID=ubuntu\nVERSION_ID="24.04"\n' > "$TREE/usr/lib/os-release"
  ln -sf ../usr/lib/os-release "$TREE/etc/os-release"
  cp /bin/ls "$TREE/boot/vmlinuz-6.8.0-31-generic"
  for b in ls cat cp mv tar gzip; do cp "$(command -v $b)" "$TREE/usr/bin/"; done
  printf '#!/usr/bin/python3\n' > "$TREE/usr/bin/cloud-init"
  printf '#!/usr/bin/python3\n' > "$TREE/usr/sbin/netplan"
  # many small files (metadata-heavy, like a real root filesystem) ...
  python3 - "$TREE/usr/lib" <<'PY'
import os, sys
root = sys.argv[1]
for d in range(200):
    os.makedirs(f"{root}/pkg{d}", exist_ok=True)
    for f in range(100):
        with open(f"{root}/pkg{d}/file{f}.py", "w") as out:
            out.write(f"# module {d}.{f}\n" * 40)
PY
  # ... and incompressible bulk so the compressed file reaches the size asked for
  n=$(( SIZE_MB / 16 ))
  for i in $(seq 1 $n); do head -c 16M /dev/urandom > "$TREE/var/lib/data/blob$i"; done
  tar -C "$TREE" -cf - . | gzip -1 > "$IMAGE"
  rm -rf "$TREE"
fi
ls -l "$IMAGE" >&2

CP=$(cd "$ROOT" && mvn -q -B dependency:build-classpath -pl bundles/io.metalforge.inspect -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=runtime)
# the reactor's own jars first (never installed to the local repository)
CP="$ROOT/bundles/io.metalforge.api/target/io.metalforge.api-0.1.0-SNAPSHOT.jar:$ROOT/bundles/io.metalforge.inspect/target/io.metalforge.inspect-0.1.0-SNAPSHOT.jar:$CP"
cat "$IMAGE" > /dev/null   # both runs read from the page cache

best_tar=999999; best_doc=999999
for run in 1 2 3; do
  t0=$(date +%s.%N); tar tzf "$IMAGE" > /dev/null; t1=$(date +%s.%N)
  tar_s=$(echo "$t1 - $t0" | bc -l)
  out=$(java -Xmx256m -cp "$CP" "$ROOT/bench/DoctorBench.java" "$IMAGE" root-tgz)
  doc_s=${out%% *}
  echo "run $run: tar tzf ${tar_s}s, doctor ${doc_s}s ($out)" >&2
  best_tar=$(echo "if ($tar_s < $best_tar) $tar_s else $best_tar" | bc -l)
  best_doc=$(echo "if ($doc_s < $best_doc) $doc_s else $best_doc" | bc -l)
done
bytes=$(stat -c %s "$IMAGE")
printf 'file: %d bytes\ntar tzf: %.2f s (%.0f MB/s)\ndoctor:  %.2f s (%.0f MB/s)\nratio (tar time / doctor time): %.2f\n' \
  "$bytes" "$best_tar" "$(echo "$bytes / $best_tar / 1000000" | bc -l)" "$best_doc" \
  "$(echo "$bytes / $best_doc / 1000000" | bc -l)" "$(echo "$best_tar / $best_doc" | bc -l)"
