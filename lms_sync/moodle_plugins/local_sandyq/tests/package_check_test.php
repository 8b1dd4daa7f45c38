<?php
// This file is part of Moodle - https://moodle.org/
//
// Moodle is free software: you can redistribute it and/or modify
// it under the terms of the GNU General Public License as published by
// the Free Software Foundation, either version 3 of the License, or
// (at your option) any later version.
//
// Moodle is distributed in the hope that it will be useful,
// but WITHOUT ANY WARRANTY; without even the implied warranty of
// MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the
// GNU General Public License for more details.
//
// You should have received a copy of the GNU General Public License
// along with Moodle.  If not, see <https://www.gnu.org/licenses/>.

/**
 * Tests for the package check (runs without Moodle too).
 *
 * @package     local_sandyq
 * @category    test
 * @copyright   2026 Sandyq contributors
 * @license     https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

namespace local_sandyq;

use local_sandyq\local\package_check;

/**
 * Tests for {@see \local_sandyq\local\package_check}.
 *
 * Runs inside Moodle like any plugin test, and also without Moodle (see
 * tests/fixtures/standalone_bootstrap.php). Every broken case is derived from a good
 * package: the first of SANDYQ_TEST_PACKAGES when set (a real package built by Sandyq),
 * otherwise a minimal package made here.
 *
 * @package     local_sandyq
 * @category    test
 * @copyright   2026 Sandyq contributors
 * @license     https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 * @covers      \local_sandyq\local\package_check
 */
final class package_check_test extends \basic_testcase {

    /** @var string a private temporary folder */
    private $dir;

    /**
     * Makes the temporary folder.
     *
     * @return void
     */
    protected function setUp(): void {
        parent::setUp();
        $this->dir = sys_get_temp_dir() . '/local_sandyq_test_' . bin2hex(random_bytes(6));
        mkdir($this->dir, 0700, true);
    }

    /**
     * Removes the temporary folder.
     *
     * @return void
     */
    protected function tearDown(): void {
        foreach (glob($this->dir . '/*') ?: [] as $file) {
            unlink($file);
        }
        rmdir($this->dir);
        parent::tearDown();
    }

    /**
     * The real packages named by SANDYQ_TEST_PACKAGES.
     *
     * @return string[]
     */
    private static function real_packages(): array {
        $value = getenv('SANDYQ_TEST_PACKAGES');
        if ($value === false || $value === '') {
            return [];
        }
        return array_values(array_filter(explode(PATH_SEPARATOR, $value)));
    }

    /**
     * A minimal manifest.
     *
     * @param string $schemaversion the schemaversion element's text
     * @param string $items the items of the organization
     * @return string the XML
     */
    private static function minimal_manifest(string $schemaversion = '1.2', string $items = ''): string {
        if ($items === '') {
            $items = '<item identifier="ITEM-1" identifierref="RES-1"><title>Lesson</title></item>';
        }
        return '<?xml version="1.0" encoding="UTF-8"?>' . "\n" .
            '<manifest identifier="MANIFEST-1" version="1.0" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"' .
            ' xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">' . "\n" .
            '  <metadata><schema>ADL SCORM</schema><schemaversion>' . $schemaversion . '</schemaversion></metadata>' . "\n" .
            '  <organizations default="ORG-1"><organization identifier="ORG-1"><title>Сабақ</title>' . "\n" .
            '    ' . $items . "\n" .
            '  </organization></organizations>' . "\n" .
            '  <resources><resource identifier="RES-1" type="webcontent" adlcp:scormtype="sco" href="index.html">' .
            '<file href="index.html"/></resource></resources>' . "\n" .
            '</manifest>' . "\n";
    }

    /**
     * Writes a zip.
     *
     * @param string $name file name in the temporary folder
     * @param array $entries entry name => content
     * @return string the path
     */
    private function zip(string $name, array $entries): string {
        $path = $this->dir . '/' . $name;
        $zip = new \ZipArchive();
        $this->assertTrue($zip->open($path, \ZipArchive::CREATE | \ZipArchive::OVERWRITE));
        foreach ($entries as $entryname => $content) {
            $zip->addFromString($entryname, $content);
        }
        $zip->close();
        return $path;
    }

    /**
     * The entries of the good package every broken case starts from.
     *
     * @return array entry name => content
     */
    private function base_entries(): array {
        $real = self::real_packages();
        if (!$real) {
            return ['imsmanifest.xml' => self::minimal_manifest(), 'index.html' => '<!doctype html><p>Сәлем</p>'];
        }
        $zip = new \ZipArchive();
        $this->assertTrue($zip->open($real[0]));
        $entries = [];
        for ($i = 0; $i < $zip->numFiles; $i++) {
            $entries[$zip->getNameIndex($i)] = $zip->getFromIndex($i);
        }
        $zip->close();
        return $entries;
    }

    /**
     * The good package with its manifest changed.
     *
     * @param string $pattern a regular expression on the manifest
     * @param string $replacement its replacement
     * @return string the path of the changed package
     */
    private function with_manifest(string $pattern, string $replacement): string {
        $entries = $this->base_entries();
        $changed = preg_replace($pattern, $replacement, $entries['imsmanifest.xml'], 1, $count);
        $this->assertSame(1, $count, 'the pattern must match the manifest: ' . $pattern);
        $entries['imsmanifest.xml'] = $changed;
        return $this->zip('changed.zip', $entries);
    }

    /**
     * Asserts a refusal with a reason.
     *
     * @param string $reason the expected reason code
     * @param package_check $check the outcome
     * @return void
     */
    private function assert_refused(string $reason, package_check $check): void {
        $this->assertFalse($check->ok, 'the package should be refused with ' . $reason);
        $this->assertSame($reason, $check->reason, $check->detail);
        $this->assertContains($check->reason, package_check::REASONS);
        $this->assertNotSame('', $check->detail);
    }

    /**
     * Real packages built by Sandyq pass, with the version Moodle will record.
     *
     * @return void
     */
    public function test_real_packages_pass(): void {
        $real = self::real_packages();
        if (!$real) {
            $this->markTestSkipped('SANDYQ_TEST_PACKAGES is not set');
        }
        foreach ($real as $path) {
            $check = package_check::check_file($path);
            $this->assertTrue($check->ok, basename($path) . ': ' . $check->reason . ' ' . $check->detail);
            $this->assertNull($check->reason);
            $this->assertArrayHasKey($check->schemaversion, package_check::SCHEMA_VERSIONS);
            $expected = $check->schemaversion === '1.2' ? 'SCORM_1.2' : 'SCORM_1.3';
            $this->assertSame($expected, $check->version);
            $this->assertNotEmpty($check->identifiers);
        }
    }

    /**
     * The base package passes, and so does every schemaversion Moodle recognises.
     *
     * @return void
     */
    public function test_known_schemaversions_pass(): void {
        $check = package_check::check_file($this->zip('base.zip', $this->base_entries()));
        $this->assertTrue($check->ok, (string)$check->detail);

        foreach (package_check::SCHEMA_VERSIONS as $schemaversion => $version) {
            $check = package_check::check_manifest(self::minimal_manifest($schemaversion));
            $this->assertTrue($check->ok, $schemaversion . ': ' . $check->detail);
            $this->assertSame($version, $check->version);
            $this->assertSame(['ORG-1', 'ITEM-1'], $check->identifiers);
        }
    }

    /**
     * A UTF-8 byte order mark is fine.
     *
     * @return void
     */
    public function test_byte_order_mark_passes(): void {
        $this->assertTrue(package_check::check_manifest("\xEF\xBB\xBF" . self::minimal_manifest())->ok);
    }

    /**
     * A file that is not a zip.
     *
     * @return void
     */
    public function test_not_zip(): void {
        $path = $this->dir . '/notzip.zip';
        file_put_contents($path, "<html>not a zip</html>\n");
        $this->assert_refused(package_check::REASON_NOT_ZIP, package_check::check_file($path));
        $this->assert_refused(package_check::REASON_NOT_ZIP, package_check::check_file($this->dir . '/missing.zip'));
    }

    /**
     * A zip without a manifest.
     *
     * @return void
     */
    public function test_no_manifest(): void {
        $entries = $this->base_entries();
        unset($entries['imsmanifest.xml']);
        $this->assert_refused(package_check::REASON_NO_MANIFEST, package_check::check_file($this->zip('nomanifest.zip', $entries)));
    }

    /**
     * A package zipped with its folder: the manifest is not at the root.
     *
     * @return void
     */
    public function test_nested_manifest(): void {
        $entries = [];
        foreach ($this->base_entries() as $name => $content) {
            $entries['physics-7/' . $name] = $content;
        }
        $check = package_check::check_file($this->zip('nested.zip', $entries));
        $this->assert_refused(package_check::REASON_NESTED_MANIFEST, $check);
        $this->assertStringContainsString('physics-7/imsmanifest.xml', $check->detail);
    }

    /**
     * An entry that would be extracted outside the package.
     *
     * @return void
     */
    public function test_unsafe_path(): void {
        $entries = $this->base_entries();
        $entries['../evil.html'] = 'evil';
        $this->assert_refused(package_check::REASON_UNSAFE_PATH, package_check::check_file($this->zip('unsafe.zip', $entries)));
    }

    /**
     * A manifest that is not well-formed, as mod_scorm's parser would die on.
     *
     * @return void
     */
    public function test_malformed_xml(): void {
        $check = package_check::check_file($this->with_manifest('~</organization>~', '</organisation>'));
        $this->assert_refused(package_check::REASON_MALFORMED_XML, $check);
        $this->assertMatchesRegularExpression('/line \d+/', $check->detail);

        $this->assert_refused(package_check::REASON_MALFORMED_XML,
            package_check::check_file($this->zip('truncated.zip', ['imsmanifest.xml' => '<manifest identifier="M"><metadata>'])));
        $this->assert_refused(package_check::REASON_MALFORMED_XML,
            package_check::check_file($this->zip('empty.zip', ['imsmanifest.xml' => ''])));
        $this->assert_refused(package_check::REASON_MALFORMED_XML,
            package_check::check_manifest(str_replace('<title>Lesson</title>', '<title>&nbsp;</title>', self::minimal_manifest())));
    }

    /**
     * DOCTYPEs are refused: external entities (XXE) and entity expansion never run.
     *
     * @return void
     */
    public function test_doctype_and_entities(): void {
        $xxe = '<?xml version="1.0" encoding="UTF-8"?>' . "\n" .
            '<!DOCTYPE manifest [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>';
        $check = package_check::check_file($this->with_manifest('~^<\?xml[^>]*\?>~', $xxe));
        $this->assert_refused(package_check::REASON_DOCTYPE, $check);

        $laughs = '<?xml version="1.0"?><!DOCTYPE manifest [<!ENTITY a "aaaaaaaaaa">' .
            '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><manifest identifier="M">&b;</manifest>';
        $this->assert_refused(package_check::REASON_DOCTYPE, package_check::check_manifest($laughs));

        $external = '<!DOCTYPE manifest SYSTEM "http://127.0.0.1:9/evil.dtd">' . self::minimal_manifest();
        $this->assert_refused(package_check::REASON_DOCTYPE, package_check::check_manifest($external));
    }

    /**
     * A root element other than an unprefixed manifest, which mod_scorm would not read.
     *
     * @return void
     */
    public function test_not_manifest(): void {
        $this->assert_refused(package_check::REASON_NOT_MANIFEST,
            package_check::check_manifest('<?xml version="1.0"?><package identifier="P"/>'));
        $prefixed = str_replace(['<manifest ', '</manifest>'],
            ['<imscp:manifest xmlns:imscp="http://www.imsproject.org/xsd/imscp_rootv1p1p2" ', '</imscp:manifest>'],
            self::minimal_manifest());
        $this->assert_refused(package_check::REASON_NOT_MANIFEST, package_check::check_manifest($prefixed));
    }

    /**
     * A schemaversion Moodle would silently run as SCORM 1.2.
     *
     * @return void
     */
    public function test_schemaversion_unknown(): void {
        $check = package_check::check_file(
            $this->with_manifest('~<schemaversion>[^<]*</schemaversion>~', '<schemaversion>2004 2nd Edition</schemaversion>'));
        $this->assert_refused(package_check::REASON_SCHEMAVERSION_UNKNOWN, $check);
        $this->assertStringContainsString('2004 2nd Edition', $check->detail);

        // Moodle matches exactly: surrounding spaces make it fall back to SCORM 1.2.
        $this->assert_refused(package_check::REASON_SCHEMAVERSION_UNKNOWN,
            package_check::check_manifest(self::minimal_manifest(' 2004 4th Edition ')));
        $this->assert_refused(package_check::REASON_SCHEMAVERSION_UNKNOWN,
            package_check::check_manifest(self::minimal_manifest('CAM 1.4')));
    }

    /**
     * No schemaversion at all.
     *
     * @return void
     */
    public function test_schemaversion_missing(): void {
        $check = package_check::check_file($this->with_manifest('~<schemaversion>[^<]*</schemaversion>~', ''));
        $this->assert_refused(package_check::REASON_SCHEMAVERSION_MISSING, $check);
    }

    /**
     * An item pointing at a resource that does not exist (mod_scorm would print a notice).
     *
     * @return void
     */
    public function test_missing_resource(): void {
        $check = package_check::check_file($this->with_manifest('~identifierref="[^"]*"~', 'identifierref="no-such-resource"'));
        $this->assert_refused(package_check::REASON_MISSING_RESOURCE, $check);
        $this->assertStringContainsString('no-such-resource', $check->detail);
    }

    /**
     * Identifiers: missing or repeated.
     *
     * @return void
     */
    public function test_identifiers(): void {
        $this->assert_refused(package_check::REASON_MISSING_IDENTIFIER,
            package_check::check_manifest(self::minimal_manifest('1.2', '<item identifierref="RES-1"><title>x</title></item>')));
        $this->assert_refused(package_check::REASON_MISSING_IDENTIFIER,
            package_check::check_manifest(str_replace('identifier="MANIFEST-1" ', '', self::minimal_manifest())));
        $twice = '<item identifier="ITEM-1" identifierref="RES-1"><title>a</title></item>' .
            '<item identifier="ITEM-1" identifierref="RES-1"><title>b</title></item>';
        $this->assert_refused(package_check::REASON_DUPLICATE_IDENTIFIER,
            package_check::check_manifest(self::minimal_manifest('1.2', $twice)));
    }

    /**
     * Nothing to launch.
     *
     * @return void
     */
    public function test_nothing_to_launch(): void {
        $this->assert_refused(package_check::REASON_NOTHING_TO_LAUNCH,
            package_check::check_manifest(self::minimal_manifest('1.2', '<item identifier="ITEM-1"><title>x</title></item>')));
    }

    /**
     * Patches both headers of an entry: its declared size and, when given, its CRC-32.
     *
     * @param string $path the zip
     * @param string $entryname the entry
     * @param int $size the size to declare
     * @param int|null $crc the CRC-32 to declare, null to keep it
     * @return void
     */
    private static function lie(string $path, string $entryname, int $size, ?int $crc = null): void {
        $data = file_get_contents($path);
        foreach (["PK\x03\x04" => [30, 26, 22, 14], "PK\x01\x02" => [46, 28, 24, 16]] as $signature => $at) {
            [$nameat, $lengthat, $sizeat, $crcat] = $at;
            $offset = 0;
            while (($offset = strpos($data, $signature, $offset)) !== false) {
                $length = unpack('v', substr($data, $offset + $lengthat, 2))[1];
                if (substr($data, $offset + $nameat, $length) === $entryname) {
                    $data = substr_replace($data, pack('V', $size), $offset + $sizeat, 4);
                    if ($crc !== null) {
                        $data = substr_replace($data, pack('V', $crc), $offset + $crcat, 4);
                    }
                }
                $offset += 4;
            }
        }
        file_put_contents($path, $data);
    }

    /**
     * A bomb that declares a small size is refused after reading one byte too many, also when
     * the manifest never names it.
     *
     * @return void
     */
    public function test_lying_size(): void {
        $entries = $this->base_entries();
        $entries['assets/data.bin'] = str_repeat("\0", 4 * 1048576);
        $path = $this->zip('lying.zip', $entries);
        self::lie($path, 'assets/data.bin', 1000, crc32(str_repeat("\0", 1000)));
        $check = package_check::check_file($path);
        $this->assert_refused(package_check::REASON_SIZE_MISMATCH, $check);
        $this->assertStringContainsString('assets/data.bin', $check->detail);

        $entries = $this->base_entries();
        $path = $this->zip('lyingmanifest.zip', $entries);
        self::lie($path, 'imsmanifest.xml', 100, crc32(substr($entries['imsmanifest.xml'], 0, 100)));
        $this->assert_refused(package_check::REASON_SIZE_MISMATCH, package_check::check_file($path));
    }

    /**
     * An entry whose bytes do not match its CRC-32, even one the manifest never names.
     *
     * @return void
     */
    public function test_bad_crc(): void {
        $entries = $this->base_entries();
        $entries['notes.txt'] = 'Сәлем, әлем';
        $path = $this->zip('badcrc.zip', $entries);
        self::lie($path, 'notes.txt', strlen('Сәлем, әлем'), 12345);
        $this->assert_refused(package_check::REASON_BAD_CRC, package_check::check_file($path));
    }

    /**
     * The limits count real bytes, per entry and in total.
     *
     * @return void
     */
    public function test_limits(): void {
        $entries = $this->base_entries();
        $entries['big.txt'] = str_repeat('x', 5000);
        $path = $this->zip('big.zip', $entries);
        $this->assertTrue(package_check::check_file($path)->ok);
        $this->assert_refused(package_check::REASON_ENTRY_TOO_LARGE, package_check::check_file($path, 4096));
        $total = array_sum(array_map('strlen', $entries));
        $this->assert_refused(package_check::REASON_TOO_LARGE, package_check::check_file($path, 1048576, $total - 1));
    }
}
