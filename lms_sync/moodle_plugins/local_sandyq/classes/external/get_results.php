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
 * Provides class {@see \local_sandyq\external\get_results}.
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
use core_external\external_multiple_structure;
use core_external\external_single_structure;
use core_external\external_value;
use core_external\external_warnings;
use local_sandyq\local\usage;

/**
 * External function local_sandyq_get_results: how learners used the synced activities, per course.
 *
 * Core functions answer per learner (one call each, and with their names); the catalogue
 * needs only counts and aggregates, so this answers one call per course with no learner's
 * id or name in it. Courses the caller may not sync are reported in warnings.
 *
 * @package     local_sandyq
 * @category    external
 * @copyright   2026 Sandyq contributors
 * @license     https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class get_results extends external_api {

    /**
     * Describes the parameters of {@see execute()}.
     *
     * @return external_function_parameters
     */
    public static function execute_parameters(): external_function_parameters {
        return new external_function_parameters([
            'courseids' => new external_multiple_structure(
                new external_value(PARAM_INT, 'Course id'), 'Courses to report on'
            ),
        ]);
    }

    /**
     * The aggregates of every synced activity in the given courses.
     *
     * @param array $courseids course ids
     * @return array courses and warnings
     */
    public static function execute(array $courseids): array {
        $params = self::validate_parameters(self::execute_parameters(), ['courseids' => $courseids]);
        $courseids = array_values(array_unique(array_map('intval', $params['courseids'])));
        self::validate_context(\context_system::instance());

        $courses = [];
        $warnings = [];
        foreach ($courseids as $courseid) {
            $context = \context_course::instance($courseid, IGNORE_MISSING);
            if (!$context) {
                $warnings[] = ['item' => 'course', 'itemid' => $courseid, 'warningcode' => 'invalidcourseid',
                    'message' => get_string('invalidcourseid', 'error')];
                continue;
            }
            try {
                self::validate_context($context);
                require_capability('local/sandyq:sync', $context);
            } catch (\Exception $e) {
                $warnings[] = ['item' => 'course', 'itemid' => $courseid, 'warningcode' => 'nopermissions',
                    'message' => $e->getMessage()];
                continue;
            }
            // No score yet is an absent field, not a null.
            $activities = array_map(function(array $activity): array {
                return array_filter($activity, function($value): bool {
                    return $value !== null;
                });
            }, usage::course($courseid));
            $courses[] = ['courseid' => $courseid, 'fullname' => get_course($courseid)->fullname,
                'activities' => $activities];
        }
        return ['courses' => $courses, 'warnings' => $warnings, 'generated' => time()];
    }

    /**
     * Describes the result of {@see execute()}.
     *
     * @return external_single_structure
     */
    public static function execute_returns(): external_single_structure {
        return new external_single_structure([
            'courses' => new external_multiple_structure(
                new external_single_structure([
                    'courseid' => new external_value(PARAM_INT, 'Course id'),
                    'fullname' => new external_value(PARAM_TEXT, 'Course full name'),
                    'activities' => new external_multiple_structure(
                        new external_single_structure([
                            'cmid' => new external_value(PARAM_INT, 'Course module id'),
                            'idnumber' => new external_value(PARAM_RAW, 'ID number given when the module was created'),
                            'name' => new external_value(PARAM_TEXT, 'Activity name'),
                            'learners' => new external_value(PARAM_INT, 'Learners who attempted it'),
                            'completed' => new external_value(PARAM_INT, 'Learners who completed every SCO'),
                            'passed' => new external_value(PARAM_INT, 'Learners with a passed status'),
                            'attempts' => new external_value(PARAM_INT, 'Attempts, all learners together'),
                            'score_mean' => new external_value(PARAM_FLOAT, 'Mean grade in percent', VALUE_OPTIONAL),
                            'score_median' => new external_value(PARAM_FLOAT, 'Median grade in percent', VALUE_OPTIONAL),
                            'time_seconds' => new external_value(PARAM_INT, 'Time spent as SCORM reports it, seconds'),
                        ])
                    ),
                ])
            ),
            'warnings' => new external_warnings(),
            'generated' => new external_value(PARAM_INT, 'When the figures were read (Unix time)'),
        ]);
    }
}
