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
 * Makes the core_external class names work on Moodle 4.1.
 *
 * Moodle 4.2 moved the external API classes into the core_external namespace and kept the
 * old global names as aliases. This plugin is written against the new names; on 4.1
 * (branch 401) the new names are created here as aliases of the old classes.
 *
 * @package     local_sandyq
 * @copyright   2026 Sandyq contributors
 * @license     https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

defined('MOODLE_INTERNAL') || die();

if ((int)$CFG->branch <= 401 && !class_exists('core_external\external_api')) {
    require_once($CFG->libdir . '/externallib.php');
    $localsandyqaliases = [
        'external_api' => 'core_external\external_api',
        'external_function_parameters' => 'core_external\external_function_parameters',
        'external_multiple_structure' => 'core_external\external_multiple_structure',
        'external_single_structure' => 'core_external\external_single_structure',
        'external_value' => 'core_external\external_value',
        'external_warnings' => 'core_external\external_warnings',
    ];
    foreach ($localsandyqaliases as $old => $new) {
        if (class_exists($old) && !class_exists($new, false)) {
            class_alias($old, $new);
        }
    }
    unset($localsandyqaliases, $old, $new);
}
