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
 * Strings for component local_sandyq, language 'en' (English).
 *
 * @package     local_sandyq
 * @category    string
 * @copyright   2026 Sandyq contributors
 * @license     https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

$string['idnumbertaken'] = 'The ID number "{$a}" is already used in this course';
$string['invalidpackage'] = 'Invalid SCORM package [{$a->reason}]: {$a->detail}';
$string['notlocalpackage'] = 'This SCORM activity does not use an uploaded package, so its package cannot be replaced';
$string['notsynced'] = 'Course module {$a} was not created by the Sandyq sync, so its package cannot be replaced through it';
$string['pluginname'] = 'Sandyq catalogue sync';
$string['privacy:metadata'] = 'The Sandyq catalogue sync stores no personal data: it only records which SCORM activities it created.';
$string['reason_bad_crc'] = 'a file in the zip is damaged: its CRC-32 does not match or it cannot be inflated ({$a})';
$string['reason_doctype'] = 'imsmanifest.xml must not declare a DOCTYPE or entities';
$string['reason_draft_area'] = 'the draft area must hold exactly one .zip file ({$a})';
$string['reason_duplicate_identifier'] = 'two elements of the manifest share an identifier ({$a})';
$string['reason_entry_too_large'] = 'a file in the zip is too large once unpacked ({$a})';
$string['reason_malformed_xml'] = 'imsmanifest.xml is not well-formed XML ({$a})';
$string['reason_manifest_too_large'] = 'imsmanifest.xml is too large ({$a})';
$string['reason_missing_identifier'] = 'an element of the manifest has no identifier ({$a})';
$string['reason_missing_resource'] = 'an item refers to a resource the manifest does not define ({$a})';
$string['reason_moodle_refused'] = 'Moodle could not read the package ({$a})';
$string['reason_nested_manifest'] = 'imsmanifest.xml must be at the root of the zip, not in a folder ({$a})';
$string['reason_no_manifest'] = 'imsmanifest.xml is missing';
$string['reason_not_manifest'] = 'the root element of imsmanifest.xml must be <manifest> ({$a})';
$string['reason_not_zip'] = 'the file is not a zip archive ({$a})';
$string['reason_nothing_to_launch'] = 'nothing in the package can be launched';
$string['reason_schemaversion_missing'] = 'the manifest does not state its SCORM version (metadata/schemaversion)';
$string['reason_schemaversion_unknown'] = 'Moodle does not support this SCORM version ({$a})';
$string['reason_size_mismatch'] = 'a file in the zip unpacks to another size than it declares, as zip bombs do ({$a})';
$string['reason_too_large'] = 'the package is too large once unpacked ({$a})';
$string['reason_unsafe_path'] = 'a file name in the zip points outside the package ({$a})';
$string['sandyq:sync'] = 'Push the catalogue\'s packages into the course';
