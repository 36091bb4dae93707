<?php

/*
 * For use without Composer: `require 'path/to/bindings/php/src/autoload.php';` loads the
 * SecCode classes on demand (Composer users get the same from composer.json's psr-4).
 */

declare(strict_types=1);

spl_autoload_register(static function (string $class): void {
    if (str_starts_with($class, 'SecCode\\')) {
        $file = __DIR__ . '/SecCode/' . str_replace('\\', '/', substr($class, 8)) . '.php';
        if (is_file($file)) {
            require $file;
        }
    }
});
