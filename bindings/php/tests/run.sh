#!/usr/bin/env bash
# The PHP face's tests, as CI runs them (.ci/test-all), with the distribution's php-cli:
#
#   1. build libseccode (cargo build -p seccode-ffi; bindings/c's Makefile copies it to
#      bindings/c/build/lib/libseccode.so, the C library's name);
#   2. tests/test.php through FFI::cdef (SECCODE_LIB, php -d ffi.enable=1): the core flow,
#      typed exceptions and the shared vectors;
#   3. the three other ways of loading the library the README describes, each running a
#      verification: FFI::load of seccode.ffi.h (libseccode.so from the library path),
#      ffi.preload with ffi.enable=preload (PHP-FPM's setting), and opcache.preload with
#      FFI::load in the preload script (run as `nobody`: PHP refuses FFI::load in a preload
#      script run as root with opcache.preload_user);
#   4. the README's example, as printed there.
#
# Installs php-cli with apt-get when php or its FFI extension is missing.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)" # bindings/php
root="$(cd "$here/../.." && pwd)"
export CARGO_TERM_COLOR=never

step() { printf '\n==> %s\n' "$*"; }

if ! command -v php >/dev/null 2>&1 || ! php -m | grep -qx FFI; then
    step "installing php-cli (apt-get)"
    sudo=""
    [[ "$(id -u)" -eq 0 ]] || sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq && $sudo apt-get install -y -qq php-cli >/dev/null
fi
php --version | head -n 1
php -m | grep -x FFI

step "build libseccode"
(cd "$root" && cargo build -q -p seccode-ffi)
target_dir="$(cd "$root" && cargo metadata --format-version 1 --no-deps |
    php -r 'echo json_decode(stream_get_contents(STDIN), true)["target_directory"];')"
build="$root/bindings/c/build"
make -C "$root/bindings/c" --no-print-directory -s LIBDIR="$target_dir/debug" BUILD="$build" lib
lib="$build/lib/libseccode.so"

step "tests/test.php (FFI::cdef, ffi.enable=1)"
SECCODE_LIB="$lib" php -d ffi.enable=1 "$here/tests/test.php" "$root/crates/seccode/tests/vectors"

# A request as a portal makes it: the library loaded however the configuration says.
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/request.php" <<PHP
<?php
require '$here/src/autoload.php';
\$engine = new SecCode\Engine(['hash_params' => ['m_kib' => 64, 't' => 1, 'p' => 1]]);
\$account = SecCode\Account::create(\$engine, 1707, 'Any Company', 3522, ['name' => 'Joe Example']);
\$account->setAccountCode(3522, 'tangerine osprey velvet 42');
\$right = \$account->verify(3522, 'Tangerine osprey velvet, 42');
\$wrong = \$account->verify(3522, 'tangerine osprey velvet 43');
if (!\$right->verified || \$wrong->verified) { fwrite(STDERR, "wrong answers\n"); exit(1); }
echo "verified through ", ini_get('ffi.enable'), " / ", ini_get('ffi.preload') ? 'ffi.preload' : (ini_get('opcache.preload') ? 'opcache.preload' : 'FFI::load'), "\n";
PHP

step "FFI::load of seccode.ffi.h (libseccode.so from LD_LIBRARY_PATH)"
LD_LIBRARY_PATH="$build/lib" php -d ffi.enable=1 "$tmp/request.php"

step "ffi.preload with ffi.enable=preload"
LD_LIBRARY_PATH="$build/lib" php -d ffi.enable=preload -d ffi.preload="$here/seccode.ffi.h" "$tmp/request.php"

step "opcache.preload with FFI::load in the preload script (as nobody)"
# A copy that `nobody` can read wherever this checkout is.
mkdir -p "$tmp/pkg"
cp -r "$here/src" "$here/seccode.ffi.h" "$lib" "$tmp/pkg/"
sed "s|$here/src|$tmp/pkg/src|" "$tmp/request.php" >"$tmp/pkg/request.php"
printf '<?php\nFFI::load(%s);\n' "'$tmp/pkg/seccode.ffi.h'" >"$tmp/pkg/preload.php"
chmod -R a+rX "$tmp"
runuser -u nobody -- env LD_LIBRARY_PATH="$tmp/pkg" php -d opcache.enable_cli=1 \
    -d opcache.preload="$tmp/pkg/preload.php" -d ffi.enable=preload "$tmp/pkg/request.php"

step "the README's example"
php -r '
    $text = file_get_contents($argv[1]);
    if (!preg_match("/```php\n(.*?)```/s", $text, $m)) { fwrite(STDERR, "no PHP example in README.md\n"); exit(1); }
    file_put_contents($argv[2], $m[1]);
' "$here/README.md" "$tmp/readme_example.php"
# Run where `vendor/autoload.php` is this checkout's autoloader, as after `composer require`.
mkdir -p "$tmp/vendor"
printf '<?php\nrequire %s;\n' "'$here/src/autoload.php'" >"$tmp/vendor/autoload.php"
out="$(cd "$tmp" && SECCODE_LIB="$lib" php -d ffi.enable=1 readme_example.php)"
echo "$out"
grep -q '^policy_rejected: ' <<<"$out" && grep -qx 'Verified' <<<"$out"
echo "PHP tests passed"
