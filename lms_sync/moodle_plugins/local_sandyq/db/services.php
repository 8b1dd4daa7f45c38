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
 * External functions and the service the Sandyq sync uses.
 *
 * @package     local_sandyq
 * @category    external
 * @copyright   2026 Sandyq contributors
 * @license     https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

defined('MOODLE_INTERNAL') || die();

$functions = [
    'local_sandyq_create_scorm' => [
        'classname' => \local_sandyq\external\create_scorm::class,
        'description' => 'Creates a SCORM activity from the .zip in a draft area, after checking the package.',
        'type' => 'write',
        'capabilities' => 'moodle/course:manageactivities, mod/scorm:addinstance, local/sandyq:sync',
    ],
    'local_sandyq_update_scorm' => [
        'classname' => \local_sandyq\external\update_scorm::class,
        'description' => 'Replaces the package of a SCORM activity created by this plugin, keeping the course module.',
        'type' => 'write',
        'capabilities' => 'moodle/course:manageactivities, local/sandyq:sync',
    ],
    'local_sandyq_get_results' => [
        'classname' => \local_sandyq\external\get_results::class,
        'description' => 'How learners used the synced SCORM activities of some courses: counts and aggregates, no names.',
        'type' => 'read',
        'capabilities' => 'local/sandyq:sync',
    ],
    'local_sandyq_get_synced' => [
        'classname' => \local_sandyq\external\get_synced::class,
        'description' => 'Lists every SCORM activity this plugin created, with its package hash and visibility.',
        'type' => 'read',
        'capabilities' => 'local/sandyq:sync',
    ],
];

$services = [
    'Sandyq catalogue sync' => [
        'shortname' => 'local_sandyq_sync',
        'functions' => [
            // Core functions the sync calls.
            'core_webservice_get_site_info',
            'core_course_get_categories',
            'core_course_create_categories',
            'core_course_get_courses_by_field',
            'core_course_create_courses',
            'core_course_update_courses',
            'core_course_edit_module',
            'core_course_delete_modules',
            'core_courseformat_update_course',
            'core_course_get_contents',
            'mod_scorm_get_scorms_by_courses',
            'core_files_upload',
            // This plugin's functions.
            'local_sandyq_create_scorm',
            'local_sandyq_update_scorm',
            'local_sandyq_get_synced',
            'local_sandyq_get_results',
        ],
        'restrictedusers' => 1,
        'enabled' => 1,
        'uploadfiles' => 1,
        'downloadfiles' => 1,
    ],
];
