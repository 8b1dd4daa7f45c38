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
 * Provides class {@see \local_sandyq\external\create_scorm}.
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
 * External function local_sandyq_create_scorm: a SCORM activity from a package in a draft area.
 *
 * No core function creates a SCORM activity. This one does what the activity form does
 * (add_moduleinfo() with the package as the form's draft area), after checking the package
 * so that a malformed manifest is answered with an invalidpackage error, never with the
 * HTML mod_scorm's parser prints before it stops the request.
 *
 * @package     local_sandyq
 * @category    external
 * @copyright   2026 Sandyq contributors
 * @license     https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class create_scorm extends external_api {

    /**
     * Describes the parameters of {@see execute()}.
     *
     * @return external_function_parameters
     */
    public static function execute_parameters(): external_function_parameters {
        $defaults = scorm_writer::GRADE_DEFAULTS;
        return new external_function_parameters([
            'courseid' => new external_value(PARAM_INT, 'Course id'),
            'section' => new external_value(PARAM_INT, 'Section number (0 is the general section)'),
            'name' => new external_value(PARAM_TEXT, 'Activity name'),
            'draftitemid' => new external_value(PARAM_INT,
                'Item id of the user draft area holding exactly one .zip (from /webservice/upload.php)'),
            'idnumber' => new external_value(PARAM_RAW, 'Course module ID number, unique in the course'),
            'intro' => new external_value(PARAM_RAW, 'Description (HTML)', VALUE_DEFAULT, ''),
            'visible' => new external_value(PARAM_INT, '1 shown to learners, 0 hidden', VALUE_DEFAULT, 1),
            'grademethod' => new external_value(PARAM_INT,
                'Grading method: 0 learning objects, 1 highest, 2 average, 3 sum', VALUE_DEFAULT, $defaults['grademethod']),
            'maxgrade' => new external_value(PARAM_INT, 'Maximum grade, 0-100', VALUE_DEFAULT, $defaults['maxgrade']),
            'maxattempt' => new external_value(PARAM_INT, 'Number of attempts, 0 unlimited, at most 6', VALUE_DEFAULT,
                $defaults['maxattempt']),
            'whatgrade' => new external_value(PARAM_INT,
                'Attempts grading: 0 highest, 1 average, 2 first, 3 last', VALUE_DEFAULT, $defaults['whatgrade']),
            'displayattemptstatus' => new external_value(PARAM_INT,
                'Display attempt status: 0 no, 1 dashboard and entry page, 2 dashboard, 3 entry page', VALUE_DEFAULT,
                $defaults['displayattemptstatus']),
            'popup' => new external_value(PARAM_INT, 'Display package: 0 current window, 1 new window', VALUE_DEFAULT,
                $defaults['popup']),
        ]);
    }

    /**
     * Creates the activity.
     *
     * @param int $courseid course id
     * @param int $section section number
     * @param string $name activity name
     * @param int $draftitemid draft area with the package
     * @param string $idnumber course module ID number
     * @param string $intro description
     * @param int $visible 1 or 0
     * @param int $grademethod grading method
     * @param int $maxgrade maximum grade
     * @param int $maxattempt number of attempts
     * @param int $whatgrade attempts grading
     * @param int $displayattemptstatus attempt status display
     * @param int $popup display in a new window
     * @return array cmid, instanceid, sha1hash, revision
     */
    public static function execute(int $courseid, int $section, string $name, int $draftitemid, string $idnumber,
            string $intro = '', int $visible = 1, int $grademethod = 1, int $maxgrade = 100, int $maxattempt = 0,
            int $whatgrade = 0, int $displayattemptstatus = 1, int $popup = 0): array {
        global $DB;

        $params = self::validate_parameters(self::execute_parameters(), [
            'courseid' => $courseid,
            'section' => $section,
            'name' => $name,
            'draftitemid' => $draftitemid,
            'idnumber' => $idnumber,
            'intro' => $intro,
            'visible' => $visible,
            'grademethod' => $grademethod,
            'maxgrade' => $maxgrade,
            'maxattempt' => $maxattempt,
            'whatgrade' => $whatgrade,
            'displayattemptstatus' => $displayattemptstatus,
            'popup' => $popup,
        ]);
        $params['name'] = trim($params['name']);
        $params['idnumber'] = trim($params['idnumber']);
        self::check_ranges($params);

        $course = $DB->get_record('course', ['id' => $params['courseid']], '*', MUST_EXIST);
        if ($course->id == SITEID) {
            throw new \moodle_exception('invalidcourseid', 'error');
        }
        $context = \context_course::instance($course->id);
        self::validate_context($context);
        require_capability('moodle/course:manageactivities', $context);
        require_capability('mod/scorm:addinstance', $context);
        require_capability('local/sandyq:sync', $context);

        $grading = [];
        foreach (array_keys(scorm_writer::GRADE_DEFAULTS) as $field) {
            $grading[$field] = $params[$field];
        }
        $result = scorm_writer::create($course, $params['section'], $params['name'], $params['draftitemid'],
            $params['idnumber'], $params['intro'], $params['visible'], $grading);

        return [
            'cmid' => $result['cmid'],
            'instanceid' => $result['instanceid'],
            'sha1hash' => $result['sha1hash'],
            'revision' => $result['revision'],
        ];
    }

    /**
     * Refuses values outside what the activity form offers.
     *
     * @param array $params the validated parameters
     * @return void
     * @throws \invalid_parameter_exception naming the parameter
     */
    private static function check_ranges(array $params): void {
        $maxsections = (int)get_config('moodlecourse', 'maxsections');
        $limits = [
            'section' => [0, $maxsections > 0 ? $maxsections : 52],
            'visible' => [0, 1],
            'grademethod' => [0, 3],
            'maxgrade' => [0, 100],
            'maxattempt' => [0, 6],
            'whatgrade' => [0, 3],
            'displayattemptstatus' => [0, 3],
            'popup' => [0, 1],
        ];
        foreach ($limits as $field => [$min, $max]) {
            if ($params[$field] < $min || $params[$field] > $max) {
                throw new \invalid_parameter_exception("{$field} must be between {$min} and {$max}");
            }
        }
        if ($params['name'] === '' || \core_text::strlen($params['name']) > 255) {
            throw new \invalid_parameter_exception('name must be 1 to 255 characters');
        }
        if ($params['idnumber'] === '' || \core_text::strlen($params['idnumber']) > 100) {
            throw new \invalid_parameter_exception('idnumber must be 1 to 100 characters');
        }
    }

    /**
     * Describes the result of {@see execute()}.
     *
     * @return external_single_structure
     */
    public static function execute_returns(): external_single_structure {
        return self::result_structure();
    }

    /**
     * The result shared by create_scorm and update_scorm.
     *
     * @return external_single_structure
     */
    public static function result_structure(): external_single_structure {
        return new external_single_structure([
            'cmid' => new external_value(PARAM_INT, 'Course module id'),
            'instanceid' => new external_value(PARAM_INT, 'SCORM instance id'),
            'sha1hash' => new external_value(PARAM_ALPHANUM, 'SHA-1 of the package, as mod_scorm records it'),
            'revision' => new external_value(PARAM_INT, 'Package revision, increased by each new package'),
        ]);
    }
}
