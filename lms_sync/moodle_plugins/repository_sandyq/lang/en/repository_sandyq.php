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
 * Strings for component repository_sandyq, language 'en' (English).
 *
 * @package     repository_sandyq
 * @category    string
 * @copyright   2026 Sandyq contributors
 * @license     https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

$string['anygrade'] = 'Any grade';
$string['anysubject'] = 'Any subject';
$string['catalogueurl'] = 'Catalogue address';
$string['catalogueurl_desc'] = 'The address of the Sandyq catalogue, for example https://catalogue.example.kz';
$string['configplugin'] = 'Sandyq catalogue settings';
$string['errordownload'] = 'The package could not be downloaded: {$a}';
$string['errorforeignurl'] = 'This file does not come from the configured catalogue.';
$string['errornotconfigured'] = 'The Sandyq catalogue is not configured. Ask the Moodle administrator to set its address.';
$string['errorsearch'] = 'The catalogue could not be searched: {$a}';
$string['errorunsafepackage'] = 'The package was refused: it is not a safe zip archive ({$a}).';
$string['grade'] = 'Grade';
$string['gradenumber'] = 'Grade {$a}';
$string['gradepreschool'] = 'Pre-school class';
$string['invalidurl'] = 'Enter a full http:// or https:// address.';
$string['pluginname'] = 'Sandyq catalogue';
$string['privacy:metadata'] = 'The Sandyq catalogue repository stores no personal data. Search words and filters are sent to the catalogue, without the user\'s identity.';
$string['sandyq:view'] = 'Use the Sandyq catalogue in the file picker';
$string['scormversion'] = 'SCORM {$a}';
$string['search'] = 'Search the catalogue';
$string['subject'] = 'Subject';
$string['subject_algebra'] = 'Algebra';
$string['subject_biology'] = 'Biology';
$string['subject_chemistry'] = 'Chemistry';
$string['subject_english'] = 'English';
$string['subject_geography'] = 'Geography';
$string['subject_geometry'] = 'Geometry';
$string['subject_history_kz'] = 'History of Kazakhstan';
$string['subject_informatics'] = 'Computer science';
$string['subject_kazakh'] = 'Kazakh language';
$string['subject_kazakh_literature'] = 'Kazakh literature';
$string['subject_mathematics'] = 'Mathematics';
$string['subject_natural_science'] = 'Natural science';
$string['subject_physics'] = 'Physics';
$string['subject_robotics'] = 'Robotics';
$string['subject_russian'] = 'Russian language';
$string['subject_world_history'] = 'World history';
$string['token'] = 'Access token';
$string['token_desc'] = 'A token issued by the catalogue. It is sent only with package downloads, never to other addresses.';
