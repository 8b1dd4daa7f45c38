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
 * Provides class {@see \local_sandyq\external\update_scorm}.
 *
 * @package     local_sandyq
 * @category    external
 * @copyright   2026 Sandyq contributors
 * @license     https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

namespace local_sandyq\external;

defined('MOODLE_INTERNAL') || die();

require_once(__DIR__ . '/../../compat.php');

use core_external\external_api;
use core_external\external_function_parameters;
use core_external\external_single_structure;
use core_external\external_value;
use local_sandyq\local\scorm_writer;

/**
 * External function local_sandyq_update_scorm: replaces the package of a synced SCORM activity
 * and follows the catalogue's title.
 *
 * The course module, its id number and every setting stay; mod_scorm re-reads the manifest
 * and keeps learners' tracking for SCOs whose identifiers did not change. Only activities
 * this plugin created (see get_synced) can be updated this way.
 *
 * @package     local_sandyq
 * @category    external
 * @copyright   2026 Sandyq contributors
 * @license     https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class update_scorm extends external_api {

    /**
     * Describes the parameters of {@see execute()}.
     *
     * @return external_function_parameters
     */
    public static function execute_parameters(): external_function_parameters {
        return new external_function_parameters([
            'cmid' => new external_value(PARAM_INT, 'Course module id of the SCORM activity'),
            'draftitemid' => new external_value(PARAM_INT,
                'Item id of the user draft area holding exactly one .zip (from /webservice/upload.php); ' .
                '0 keeps the package', VALUE_DEFAULT, 0),
            'name' => new external_value(PARAM_TEXT, 'New activity name; empty keeps the name', VALUE_DEFAULT, ''),
        ]);
    }

    /**
     * Replaces the package, renames the activity, or both.
     *
     * @param int $cmid course module id
     * @param int $draftitemid draft area with the new package, 0 to keep it
     * @param string $name the new name, '' to keep it
     * @return array cmid, instanceid, sha1hash, revision
     */
    public static function execute(int $cmid, int $draftitemid = 0, string $name = ''): array {
        global $DB;

        $params = self::validate_parameters(self::execute_parameters(), [
            'cmid' => $cmid,
            'draftitemid' => $draftitemid,
            'name' => $name,
        ]);
        $params['name'] = trim($params['name']);
        if (\core_text::strlen($params['name']) > 255) {
            throw new \invalid_parameter_exception('name must be at most 255 characters');
        }
        if ($params['draftitemid'] === 0 && $params['name'] === '') {
            throw new \invalid_parameter_exception('give a draftitemid, a name, or both');
        }

        $cm = get_coursemodule_from_id('scorm', $params['cmid'], 0, false, IGNORE_MISSING);
        if (!$cm || !empty($cm->deletioninprogress)) {
            throw new \moodle_exception('invalidcoursemodule', 'error');
        }
        $context = \context_module::instance($cm->id);
        self::validate_context($context);
        require_capability('moodle/course:manageactivities', $context);
        require_capability('local/sandyq:sync', $context);

        if (!$DB->record_exists(scorm_writer::TABLE, ['cmid' => $cm->id])) {
            throw new \moodle_exception('notsynced', 'local_sandyq', '', $cm->id);
        }
        $result = scorm_writer::update($cm, $params['draftitemid'], $params['name']);

        return [
            'cmid' => $result['cmid'],
            'instanceid' => $result['instanceid'],
            'sha1hash' => $result['sha1hash'],
            'revision' => $result['revision'],
        ];
    }

    /**
     * Describes the result of {@see execute()}.
     *
     * @return external_single_structure
     */
    public static function execute_returns(): external_single_structure {
        return create_scorm::result_structure();
    }
}
