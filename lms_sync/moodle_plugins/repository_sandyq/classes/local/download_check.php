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
 * Provides class {@see \repository_sandyq\local\download_check}.
 *
 * @package     repository_sandyq
 * @copyright   2026 Sandyq contributors
 * @license     https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

namespace repository_sandyq\local;

/**
 * Checks a package downloaded from the catalogue before it reaches the file picker.
 *
 * A zip's central directory is a claim, not a fact: ZipArchive (and so mod_scorm) inflates an
 * entry until its deflate stream ends, whatever size it declares. Every entry is therefore read
 * once through ZipArchive::getStreamIndex and fread: its real bytes are counted and its CRC-32
 * computed (hash 'crc32b'), and reading stops one byte past the declared size or past the
 * limit. Entry names that leave the package are refused too. Nothing is unpacked to disk.
 *
 * The repository may be installed without local_sandyq, so this class stands alone; it
 * depends on nothing from Moodle and is tested outside a Moodle tree.
 *
 * @package     repository_sandyq
 * @copyright   2026 Sandyq contributors
 * @license     https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
final class download_check {

    /** The most one entry may inflate to, in real bytes (Sandyq's SANDYQ_ZIP_MAX_ENTRY_BYTES). */
    public const MAX_ENTRY_BYTES = 1073741824;

    /** The most all entries may inflate to, in real bytes (SANDYQ_ZIP_MAX_TOTAL_BYTES). */
    public const MAX_TOTAL_BYTES = 2147483648;

    /** Bytes asked of the stream per fread. */
    private const READ_CHUNK = 65536;

    /**
     * The problem with a downloaded package, or null when every entry is what it declares.
     *
     * @param string $path the zip's path
     * @param int $maxentry the most one entry may inflate to, in bytes
     * @param int $maxtotal the most all entries may inflate to, in bytes
     * @return string|null a plain English description of the first problem
     */
    public static function problem(string $path, int $maxentry = self::MAX_ENTRY_BYTES,
            int $maxtotal = self::MAX_TOTAL_BYTES): ?string {
        $zip = new \ZipArchive();
        if (!is_file($path) || $zip->open($path) !== true) {
            return 'the download is not a zip archive';
        }
        try {
            $total = 0;
            for ($i = 0; $i < $zip->numFiles; $i++) {
                $problem = self::entry_problem($zip, $i, $maxentry, $maxtotal, $total);
                if ($problem !== null) {
                    return $problem;
                }
            }
            return null;
        } finally {
            $zip->close();
        }
    }

    /**
     * Reads one entry through a stream, counting its real bytes and its CRC-32.
     *
     * @param \ZipArchive $zip the archive
     * @param int $index the entry's index
     * @param int $limit the most this entry may inflate to, in bytes
     * @param int $maxtotal the most all entries may inflate to, in bytes
     * @param int $total bytes read so far from the archive (added to)
     * @return string|null the problem, or null
     */
    private static function entry_problem(\ZipArchive $zip, int $index, int $limit, int $maxtotal,
            int &$total): ?string {
        $stat = $zip->statIndex($index);
        if ($stat === false) {
            return 'entry ' . $index . ' cannot be read';
        }
        $name = (string)$stat['name'];
        $normalised = str_replace('\\', '/', $name);
        if ($name === '' || strpos($name, "\0") !== false || $normalised[0] === '/'
                || preg_match('~^[A-Za-z]:~', $normalised) || in_array('..', explode('/', $normalised), true)) {
            return 'unsafe entry name: ' . $name;
        }
        $declared = (int)$stat['size'];
        if (substr($name, -1) === '/' && $declared === 0 && (int)$stat['comp_size'] === 0) {
            return null;
        }
        if ($declared > $limit) {
            return $name . ' declares more than ' . $limit . ' bytes';
        }
        $stream = $zip->getStreamIndex($index);
        if ($stream === false) {
            return $name . ' cannot be inflated';
        }
        $crc = hash_init('crc32b');
        $size = 0;
        try {
            while (!feof($stream)) {
                // A damaged deflate stream makes fread warn and return false: a refusal below.
                $chunk = @fread($stream, self::READ_CHUNK);
                if ($chunk === false || $chunk === '') {
                    break;
                }
                $size += strlen($chunk);
                $total += strlen($chunk);
                if ($size > $declared) {
                    return $name . ' inflates to more than the ' . $declared . ' bytes it declares';
                }
                if ($size > $limit) {
                    return $name . ' inflates to more than ' . $limit . ' bytes';
                }
                if ($total > $maxtotal) {
                    return 'the entries inflate to more than ' . $maxtotal . ' bytes';
                }
                hash_update($crc, $chunk);
            }
        } finally {
            fclose($stream);
        }
        if ($size !== $declared) {
            return $name . ' inflates to ' . $size . ' bytes, not the ' . $declared . ' it declares';
        }
        if (hash_final($crc) !== sprintf('%08x', $stat['crc'] & 0xffffffff)) {
            return $name . ': the CRC-32 does not match its bytes';
        }
        return null;
    }
}
