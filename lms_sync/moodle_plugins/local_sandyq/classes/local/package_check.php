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
 * Provides class {@see \local_sandyq\local\package_check}.
 *
 * @package     local_sandyq
 * @copyright   2026 Sandyq contributors
 * @license     https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

namespace local_sandyq\local;

/**
 * Checks a SCORM package before Moodle's own parser sees it.
 *
 * mod_scorm parses imsmanifest.xml with a parser that calls die() on malformed XML, so a
 * broken package would end the whole web-service request with an HTML fragment instead of
 * an error. This class refuses such packages first, with a stable reason code.
 *
 * It depends on nothing from Moodle (only ZipArchive, DOM, libxml and ext/xml) so that it
 * can be unit-tested outside a Moodle tree. It never resolves entities, never loads a DTD
 * and never touches the network: any DOCTYPE is refused.
 *
 * The zip's central directory is a claim, not a fact: ZipArchive inflates an entry until its
 * deflate stream ends, whatever size it declares, so a 300 MB bomb may declare 1,000 bytes.
 * Every entry, also those the manifest never names, is therefore read once through
 * ZipArchive::getStreamIndex and fread, its real bytes counted and its CRC-32 computed
 * (hash 'crc32b'); reading stops one byte past the declared size or the limit.
 *
 * The checks mirror what mod_scorm reads (mod/scorm/datamodels/scormlib.php): element
 * names are compared with their prefix, as Moodle's namespace-unaware parser sees them,
 * and schemaversion is matched exactly (no trimming) against the values Moodle maps to a
 * SCORM version. Anything else Moodle would silently treat as SCORM 1.2; we refuse it.
 *
 * @package     local_sandyq
 * @copyright   2026 Sandyq contributors
 * @license     https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
final class package_check {

    /** The file is not a readable zip archive. */
    public const REASON_NOT_ZIP = 'not_zip';
    /** An entry name is absolute or climbs out of the package with "..". */
    public const REASON_UNSAFE_PATH = 'unsafe_path';
    /** An entry inflates to more than {@see self::MAX_ENTRY_BYTES}. */
    public const REASON_ENTRY_TOO_LARGE = 'entry_too_large';
    /** The entries together inflate to more than {@see self::MAX_TOTAL_BYTES}. */
    public const REASON_TOO_LARGE = 'too_large';
    /** An entry inflates to another size than its header declares (a lying zip bomb). */
    public const REASON_SIZE_MISMATCH = 'size_mismatch';
    /** An entry's bytes do not match its CRC-32, or cannot be inflated at all. */
    public const REASON_BAD_CRC = 'bad_crc';
    /** No imsmanifest.xml anywhere in the archive. */
    public const REASON_NO_MANIFEST = 'no_manifest';
    /** imsmanifest.xml exists, but only inside a folder (not at the root). */
    public const REASON_NESTED_MANIFEST = 'nested_manifest';
    /** imsmanifest.xml is larger than {@see self::MAX_MANIFEST_BYTES}. */
    public const REASON_MANIFEST_TOO_LARGE = 'manifest_too_large';
    /** The manifest declares a DOCTYPE (entities, external DTDs): refused outright. */
    public const REASON_DOCTYPE = 'doctype';
    /** The manifest is not well-formed XML. */
    public const REASON_MALFORMED_XML = 'malformed_xml';
    /** The root element is not an unprefixed <manifest>. */
    public const REASON_NOT_MANIFEST = 'not_manifest';
    /** The manifest, an organization or an item has no identifier attribute. */
    public const REASON_MISSING_IDENTIFIER = 'missing_identifier';
    /** Two organizations or items share an identifier. */
    public const REASON_DUPLICATE_IDENTIFIER = 'duplicate_identifier';
    /** No <metadata><schemaversion> under the root. */
    public const REASON_SCHEMAVERSION_MISSING = 'schemaversion_missing';
    /** A schemaversion Moodle does not recognise. */
    public const REASON_SCHEMAVERSION_UNKNOWN = 'schemaversion_unknown';
    /** An item's identifierref names no resource. */
    public const REASON_MISSING_RESOURCE = 'missing_resource';
    /** Nothing in the package can be launched (no item or resource with an href). */
    public const REASON_NOTHING_TO_LAUNCH = 'nothing_to_launch';

    /** Every reason code, in the order the checks run. */
    public const REASONS = [
        self::REASON_NOT_ZIP,
        self::REASON_UNSAFE_PATH,
        self::REASON_ENTRY_TOO_LARGE,
        self::REASON_TOO_LARGE,
        self::REASON_SIZE_MISMATCH,
        self::REASON_BAD_CRC,
        self::REASON_NO_MANIFEST,
        self::REASON_NESTED_MANIFEST,
        self::REASON_MANIFEST_TOO_LARGE,
        self::REASON_DOCTYPE,
        self::REASON_MALFORMED_XML,
        self::REASON_NOT_MANIFEST,
        self::REASON_MISSING_IDENTIFIER,
        self::REASON_DUPLICATE_IDENTIFIER,
        self::REASON_SCHEMAVERSION_MISSING,
        self::REASON_SCHEMAVERSION_UNKNOWN,
        self::REASON_MISSING_RESOURCE,
        self::REASON_NOTHING_TO_LAUNCH,
    ];

    /**
     * The schemaversion values accepted, and the scorm.version Moodle derives from each.
     *
     * These are exactly the strings mod_scorm recognises ("1.2", "1.3", "CAM 1.3",
     * "2004 3rd Edition", "2004 4th Edition"). "2004 2nd Edition" and others are refused:
     * Moodle would run them as SCORM 1.2 and the content would not find its API.
     */
    public const SCHEMA_VERSIONS = [
        '1.2' => 'SCORM_1.2',
        '1.3' => 'SCORM_1.3',
        'CAM 1.3' => 'SCORM_1.3',
        '2004 3rd Edition' => 'SCORM_1.3',
        '2004 4th Edition' => 'SCORM_1.3',
    ];

    /** The largest manifest read, in bytes. */
    public const MAX_MANIFEST_BYTES = 8388608;

    /** The most one entry may inflate to, in real bytes (Sandyq's SANDYQ_ZIP_MAX_ENTRY_BYTES). */
    public const MAX_ENTRY_BYTES = 1073741824;

    /** The most all entries may inflate to, in real bytes (SANDYQ_ZIP_MAX_TOTAL_BYTES). */
    public const MAX_TOTAL_BYTES = 2147483648;

    /** Bytes asked of the stream per fread. */
    private const READ_CHUNK = 65536;

    /** @var bool whether the package passed every check */
    public $ok;
    /** @var string|null the reason code when it did not (one of {@see self::REASONS}) */
    public $reason;
    /** @var string a plain English detail for the reason (empty when ok) */
    public $detail;
    /** @var string|null the manifest's schemaversion, when read */
    public $schemaversion;
    /** @var string|null 'SCORM_1.2' or 'SCORM_1.3', as Moodle will record it */
    public $version;
    /** @var string[] identifiers of the organizations and items, in document order */
    public $identifiers;

    /**
     * Use {@see self::check_file()} or {@see self::check_manifest()}.
     *
     * @param bool $ok whether the package passed
     * @param string|null $reason the reason code
     * @param string $detail the detail
     */
    private function __construct(bool $ok, ?string $reason, string $detail) {
        $this->ok = $ok;
        $this->reason = $reason;
        $this->detail = $detail;
        $this->schemaversion = null;
        $this->version = null;
        $this->identifiers = [];
    }

    /**
     * A failed check.
     *
     * @param string $reason one of the REASON_ constants
     * @param string $detail what was found
     * @return self
     */
    private static function fail(string $reason, string $detail): self {
        return new self(false, $reason, $detail);
    }

    /**
     * Checks a package file (a zip) on disk.
     *
     * @param string $path the zip's path
     * @param int $maxentry the most one entry may inflate to, in bytes
     * @param int $maxtotal the most all entries may inflate to, in bytes
     * @return self the outcome; never throws for a bad package
     */
    public static function check_file(string $path, int $maxentry = self::MAX_ENTRY_BYTES,
            int $maxtotal = self::MAX_TOTAL_BYTES): self {
        if (!is_file($path) || !is_readable($path)) {
            return self::fail(self::REASON_NOT_ZIP, 'the file cannot be read');
        }
        $zip = new \ZipArchive();
        $opened = $zip->open($path);
        if ($opened !== true) {
            return self::fail(self::REASON_NOT_ZIP, 'not a zip archive (ZipArchive error ' . (int)$opened . ')');
        }
        try {
            return self::check_zip($zip, $maxentry, $maxtotal);
        } finally {
            $zip->close();
        }
    }

    /**
     * Checks an open archive: entry names, then the manifest.
     *
     * @param \ZipArchive $zip the archive
     * @param int $maxentry the most one entry may inflate to, in bytes
     * @param int $maxtotal the most all entries may inflate to, in bytes
     * @return self the outcome
     */
    private static function check_zip(\ZipArchive $zip, int $maxentry, int $maxtotal): self {
        $nested = null;
        $rootindex = null;
        for ($i = 0; $i < $zip->numFiles; $i++) {
            $name = $zip->getNameIndex($i);
            if ($name === false) {
                return self::fail(self::REASON_NOT_ZIP, 'entry ' . $i . ' has no readable name');
            }
            if (!self::is_safe_entry_name($name)) {
                return self::fail(self::REASON_UNSAFE_PATH, 'unsafe entry name: ' . $name);
            }
            if ($name === 'imsmanifest.xml') {
                $rootindex = $i;
            } else if ($nested === null && strpos($name, 'imsmanifest.xml') !== false) {
                $nested = $name;
            }
        }
        if ($rootindex === null) {
            if ($nested !== null) {
                return self::fail(self::REASON_NESTED_MANIFEST,
                    'imsmanifest.xml must be at the root of the zip, found ' . $nested);
            }
            return self::fail(self::REASON_NO_MANIFEST, 'the zip has no imsmanifest.xml');
        }
        $stat = $zip->statIndex($rootindex);
        if ($stat === false || $stat['size'] > self::MAX_MANIFEST_BYTES) {
            return self::fail(self::REASON_MANIFEST_TOO_LARGE,
                'imsmanifest.xml is larger than ' . self::MAX_MANIFEST_BYTES . ' bytes');
        }
        $xml = '';
        $total = 0;
        for ($i = 0; $i < $zip->numFiles; $i++) {
            $content = $i === $rootindex ? '' : null;
            $problem = self::read_entry($zip, $i, $maxentry, $maxtotal, $total, $content);
            if ($problem !== null) {
                return $problem;
            }
            if ($i === $rootindex) {
                $xml = (string)$content;
            }
        }
        return self::check_manifest($xml);
    }

    /**
     * Reads one entry through a stream, counting its real bytes and its CRC-32.
     *
     * Reading stops one byte past the declared size, $limit or $maxtotal, whichever comes
     * first, so a zip bomb that lies about its size costs at most that much.
     *
     * @param \ZipArchive $zip the archive
     * @param int $index the entry's index
     * @param int $limit the most this entry may inflate to, in bytes
     * @param int $maxtotal the most all entries may inflate to, in bytes
     * @param int $total bytes read so far from the archive (added to)
     * @param string|null $content receives the entry's bytes when not null
     * @return self|null a failure, or null when the entry is what its header says
     */
    private static function read_entry(\ZipArchive $zip, int $index, int $limit, int $maxtotal,
            int &$total, ?string &$content): ?self {
        $stat = $zip->statIndex($index);
        if ($stat === false) {
            return self::fail(self::REASON_NOT_ZIP, 'entry ' . $index . ' cannot be read');
        }
        $name = (string)$stat['name'];
        $declared = (int)$stat['size'];
        if (substr($name, -1) === '/' && $declared === 0 && (int)$stat['comp_size'] === 0) {
            return null;
        }
        if ($declared > $limit) {
            return self::fail(self::REASON_ENTRY_TOO_LARGE, $name . ' declares more than ' . $limit . ' bytes');
        }
        $stream = $zip->getStreamIndex($index);
        if ($stream === false) {
            return self::fail(self::REASON_BAD_CRC, $name . ' cannot be inflated');
        }
        $crc = hash_init('crc32b');
        $size = 0;
        try {
            while (!feof($stream)) {
                // A damaged deflate stream makes fread warn and return false: a refusal below, not a notice.
                $chunk = @fread($stream, self::READ_CHUNK);
                if ($chunk === false || $chunk === '') {
                    break;
                }
                $size += strlen($chunk);
                $total += strlen($chunk);
                if ($size > $declared) {
                    return self::fail(self::REASON_SIZE_MISMATCH,
                        $name . ' inflates to more than the ' . $declared . ' bytes it declares');
                }
                if ($size > $limit) {
                    return self::fail(self::REASON_ENTRY_TOO_LARGE, $name . ' inflates to more than ' . $limit . ' bytes');
                }
                if ($total > $maxtotal) {
                    return self::fail(self::REASON_TOO_LARGE, 'the entries inflate to more than ' . $maxtotal . ' bytes');
                }
                hash_update($crc, $chunk);
                if ($content !== null) {
                    $content .= $chunk;
                }
            }
        } finally {
            fclose($stream);
        }
        if ($size !== $declared) {
            return self::fail(self::REASON_SIZE_MISMATCH,
                $name . ' inflates to ' . $size . ' bytes, not the ' . $declared . ' it declares');
        }
        if (hash_final($crc) !== sprintf('%08x', $stat['crc'] & 0xffffffff)) {
            return self::fail(self::REASON_BAD_CRC, $name . ': the CRC-32 does not match its bytes');
        }
        return null;
    }

    /**
     * Whether a zip entry name stays inside the package.
     *
     * @param string $name the entry name
     * @return bool
     */
    private static function is_safe_entry_name(string $name): bool {
        if ($name === '' || strpos($name, "\0") !== false) {
            return false;
        }
        $normalised = str_replace('\\', '/', $name);
        if ($normalised[0] === '/' || preg_match('~^[A-Za-z]:~', $normalised)) {
            return false;
        }
        foreach (explode('/', $normalised) as $segment) {
            if ($segment === '..') {
                return false;
            }
        }
        return true;
    }

    /**
     * Checks the text of an imsmanifest.xml.
     *
     * @param string $xml the manifest's bytes
     * @return self the outcome
     */
    public static function check_manifest(string $xml): self {
        $text = $xml;
        if (strncmp($text, "\xEF\xBB\xBF", 3) === 0) {
            $text = substr($text, 3);
        }
        if (trim($text) === '') {
            return self::fail(self::REASON_MALFORMED_XML, 'imsmanifest.xml is empty');
        }
        // Refuse before parsing: no DTD, no entity declarations, nothing to expand.
        if (stripos($text, '<!DOCTYPE') !== false || stripos($text, '<!ENTITY') !== false) {
            return self::fail(self::REASON_DOCTYPE, 'imsmanifest.xml must not declare a DOCTYPE or entities');
        }

        $dom = new \DOMDocument();
        $previous = libxml_use_internal_errors(true);
        libxml_clear_errors();
        try {
            $loaded = $dom->loadXML($text, LIBXML_NONET | LIBXML_NOCDATA);
            $errors = libxml_get_errors();
        } finally {
            libxml_clear_errors();
            libxml_use_internal_errors($previous);
        }
        if (!$loaded || $errors) {
            $first = $errors ? $errors[0] : null;
            $detail = $first ? sprintf('imsmanifest.xml line %d: %s', $first->line, trim($first->message))
                : 'imsmanifest.xml is not well-formed';
            return self::fail(self::REASON_MALFORMED_XML, $detail);
        }
        if ($dom->doctype !== null) {
            return self::fail(self::REASON_DOCTYPE, 'imsmanifest.xml must not declare a DOCTYPE or entities');
        }
        $moodleparse = self::moodle_parser_error($text);
        if ($moodleparse !== null) {
            return self::fail(self::REASON_MALFORMED_XML, $moodleparse);
        }
        return self::check_document($dom);
    }

    /**
     * Runs the parser mod_scorm uses, on the text as mod_scorm prepares it.
     *
     * mod_scorm first turns every "&" not followed by a short name and ";" into "&amp;",
     * then parses with ext/xml and dies on the first error. Parsing the same text the same
     * way here guarantees that path is never reached.
     *
     * @param string $text the manifest
     * @return string|null the error, or null when the parse succeeds
     */
    private static function moodle_parser_error(string $text): ?string {
        $prepared = preg_replace('/&(?!\w{2,6};)/', '&amp;', $text);
        if ($prepared === null) {
            return 'imsmanifest.xml is not valid UTF-8';
        }
        $parser = xml_parser_create('UTF-8');
        $ok = xml_parse($parser, $prepared, true);
        $error = null;
        if (!$ok) {
            $error = sprintf('imsmanifest.xml line %d: %s',
                xml_get_current_line_number($parser), xml_error_string(xml_get_error_code($parser)));
        }
        xml_parser_free($parser);
        return $error;
    }

    /**
     * Checks the parsed manifest's structure.
     *
     * @param \DOMDocument $dom the manifest
     * @return self the outcome
     */
    private static function check_document(\DOMDocument $dom): self {
        $root = $dom->documentElement;
        if ($root === null || $root->tagName !== 'manifest') {
            $name = $root === null ? '(none)' : $root->tagName;
            return self::fail(self::REASON_NOT_MANIFEST,
                'the root element must be an unprefixed <manifest>, found <' . $name . '>');
        }
        if ($root->getAttribute('identifier') === '') {
            return self::fail(self::REASON_MISSING_IDENTIFIER, '<manifest> has no identifier');
        }

        $schemaversion = null;
        $metadata = self::children($root, 'metadata');
        if ($metadata) {
            $versions = self::children($metadata[0], 'schemaversion');
            if ($versions) {
                $schemaversion = $versions[0]->textContent;
            }
        }
        if ($schemaversion === null) {
            return self::fail(self::REASON_SCHEMAVERSION_MISSING,
                'the manifest has no <metadata><schemaversion>');
        }
        if (!array_key_exists($schemaversion, self::SCHEMA_VERSIONS)) {
            return self::fail(self::REASON_SCHEMAVERSION_UNKNOWN,
                'schemaversion "' . $schemaversion . '" is not one of: ' . implode(', ', array_keys(self::SCHEMA_VERSIONS)));
        }

        // Resources, by identifier.
        $resources = [];
        foreach (self::children($root, 'resources') as $resourcesnode) {
            foreach (self::children($resourcesnode, 'resource') as $resource) {
                $resources[$resource->getAttribute('identifier')] = $resource->getAttribute('href');
            }
        }

        $identifiers = [];
        $launchable = false;
        foreach (self::children($root, 'organizations') as $organizations) {
            foreach (self::children($organizations, 'organization') as $organization) {
                $problem = self::walk($organization, $resources, $identifiers, $launchable);
                if ($problem !== null) {
                    return $problem;
                }
            }
        }
        if (!$identifiers) {
            // No organization: Moodle launches the resources themselves.
            foreach ($resources as $href) {
                if ($href !== '') {
                    $launchable = true;
                }
            }
        }
        if (!$launchable) {
            return self::fail(self::REASON_NOTHING_TO_LAUNCH, 'no item or resource has an href to launch');
        }

        $result = new self(true, null, '');
        $result->schemaversion = $schemaversion;
        $result->version = self::SCHEMA_VERSIONS[$schemaversion];
        $result->identifiers = $identifiers;
        return $result;
    }

    /**
     * Walks an organization or item and its items.
     *
     * @param \DOMElement $node the organization or item
     * @param array $resources resource identifier => href
     * @param string[] $identifiers identifiers seen so far (appended to)
     * @param bool $launchable set when an item launches something
     * @return self|null a failure, or null when everything below is fine
     */
    private static function walk(\DOMElement $node, array $resources, array &$identifiers, bool &$launchable): ?self {
        $identifier = $node->getAttribute('identifier');
        if ($identifier === '') {
            return self::fail(self::REASON_MISSING_IDENTIFIER, '<' . $node->tagName . '> has no identifier');
        }
        if (in_array($identifier, $identifiers, true)) {
            return self::fail(self::REASON_DUPLICATE_IDENTIFIER, 'identifier "' . $identifier . '" is used twice');
        }
        $identifiers[] = $identifier;
        if ($node->tagName === 'item' && $node->hasAttribute('identifierref')) {
            $ref = $node->getAttribute('identifierref');
            if (!array_key_exists($ref, $resources)) {
                return self::fail(self::REASON_MISSING_RESOURCE,
                    'item "' . $identifier . '" refers to resource "' . $ref . '", which the manifest does not define');
            }
            if ($resources[$ref] !== '') {
                $launchable = true;
            }
        }
        foreach (self::children($node, 'item') as $item) {
            $problem = self::walk($item, $resources, $identifiers, $launchable);
            if ($problem !== null) {
                return $problem;
            }
        }
        return null;
    }

    /**
     * The child elements of a node with a given qualified name (prefix included).
     *
     * @param \DOMElement $parent the parent
     * @param string $tagname the qualified name, e.g. 'item'
     * @return \DOMElement[]
     */
    private static function children(\DOMElement $parent, string $tagname): array {
        $found = [];
        foreach ($parent->childNodes as $child) {
            if ($child instanceof \DOMElement && $child->tagName === $tagname) {
                $found[] = $child;
            }
        }
        return $found;
    }
}
