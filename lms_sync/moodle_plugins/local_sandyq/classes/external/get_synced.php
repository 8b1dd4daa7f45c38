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
 * Provides class {@see \local_sandyq\external\get_synced}.
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
use local_sandyq\local\scorm_writer;

/**
 * External function local_sandyq_get_synced: every SCORM activity this plugin created.
 *
 * One query reads the plugin's table joined with the course modules, SCORM instances,
 * sections and course contexts. Modules deleted since (or being deleted) are left out.
 * Courses the caller may not sync are reported in warnings, per course, not as an error.
 *
 * @package     local_sandyq
 * @category    external
 * @copyright   2026 Sandyq contributors
 * @license     https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class get_synced extends external_api {

    /**
     * Describes the parameters of {@see execute()}.
     *
     * @return external_function_parameters
     */
    public static function execute_parameters(): external_function_parameters {
        return new external_function_parameters([
            'courseids' => new external_multiple_structure(
                new external_value(PARAM_INT, 'Course id'),
                'Courses to list; empty lists every course with synced modules', VALUE_DEFAULT, []
            ),
        ]);
    }

    /**
     * Lists the synced modules.
     *
     * @param array $courseids course ids, or [] for all
     * @return array modules and warnings
     */
    public static function execute(array $courseids = []): array {
        global $DB;

        $params = self::validate_parameters(self::execute_parameters(), ['courseids' => $courseids]);
        $courseids = array_values(array_unique(array_map('intval', $params['courseids'])));

        self::validate_context(\context_system::instance());

        $ctxfields = \context_helper::get_preload_record_columns_sql('ctx');
        $where = 'cm.deletioninprogress = 0';
        $sqlparams = ['modname' => 'scorm', 'contextlevel' => CONTEXT_COURSE];
        if ($courseids) {
            [$insql, $inparams] = $DB->get_in_or_equal($courseids, SQL_PARAMS_NAMED, 'course');
            $where .= " AND cm.course {$insql}";
            $sqlparams += $inparams;
        }
        $sql = "SELECT t.id AS trackid, cm.id AS cmid, s.id AS instanceid, cm.course AS courseid,
                       cs.section AS sectionnum, t.idnumber, s.name, s.sha1hash, cm.visible, s.revision,
                       {$ctxfields}
                  FROM {" . scorm_writer::TABLE . "} t
                  JOIN {course_modules} cm ON cm.id = t.cmid
                  JOIN {modules} md ON md.id = cm.module AND md.name = :modname
                  JOIN {scorm} s ON s.id = cm.instance
                  JOIN {course_sections} cs ON cs.id = cm.section
                  JOIN {context} ctx ON ctx.instanceid = cm.course AND ctx.contextlevel = :contextlevel
                 WHERE {$where}
              ORDER BY cm.course, cs.section, cm.id";
        $rows = $DB->get_records_sql($sql, $sqlparams);

        $modules = [];
        $warnings = [];
        $allowed = [];
        foreach ($rows as $row) {
            \context_helper::preload_from_record($row);
            $courseid = (int)$row->courseid;
            if (!array_key_exists($courseid, $allowed)) {
                $allowed[$courseid] = self::course_warning($courseid);
                if ($allowed[$courseid] !== null) {
                    $warnings[] = $allowed[$courseid];
                }
            }
            if ($allowed[$courseid] !== null) {
                continue;
            }
            $modules[] = [
                'cmid' => (int)$row->cmid,
                'instanceid' => (int)$row->instanceid,
                'courseid' => $courseid,
                'section' => (int)$row->sectionnum,
                'idnumber' => (string)$row->idnumber,
                'name' => (string)$row->name,
                'sha1hash' => (string)$row->sha1hash,
                'visible' => (bool)$row->visible,
                'revision' => (int)$row->revision,
            ];
        }
        // Asked-for courses with nothing synced: still say when the caller cannot see them.
        foreach ($courseids as $courseid) {
            if (!array_key_exists($courseid, $allowed)) {
                $warning = self::course_warning($courseid);
                if ($warning !== null) {
                    $warnings[] = $warning;
                }
            }
        }

        return ['modules' => $modules, 'warnings' => $warnings];
    }

    /**
     * Why the caller may not list a course, or null when they may.
     *
     * @param int $courseid the course id
     * @return array|null a warning
     */
    private static function course_warning(int $courseid): ?array {
        $context = \context_course::instance($courseid, IGNORE_MISSING);
        if (!$context) {
            return [
                'item' => 'course',
                'itemid' => $courseid,
                'warningcode' => 'invalidcourseid',
                'message' => get_string('invalidcourseid', 'error'),
            ];
        }
        try {
            self::validate_context($context);
            require_capability('local/sandyq:sync', $context);
        } catch (\Exception $e) {
            return [
                'item' => 'course',
                'itemid' => $courseid,
                'warningcode' => 'nopermissions',
                'message' => $e->getMessage(),
            ];
        }
        return null;
    }

    /**
     * Describes the result of {@see execute()}.
     *
     * @return external_single_structure
     */
    public static function execute_returns(): external_single_structure {
        return new external_single_structure([
            'modules' => new external_multiple_structure(
                new external_single_structure([
                    'cmid' => new external_value(PARAM_INT, 'Course module id'),
                    'instanceid' => new external_value(PARAM_INT, 'SCORM instance id'),
                    'courseid' => new external_value(PARAM_INT, 'Course id'),
                    'section' => new external_value(PARAM_INT, 'Section number'),
                    'idnumber' => new external_value(PARAM_RAW, 'ID number given when the module was created'),
                    'name' => new external_value(PARAM_TEXT, 'Activity name'),
                    'sha1hash' => new external_value(PARAM_ALPHANUM, 'SHA-1 of the current package'),
                    'visible' => new external_value(PARAM_BOOL, 'Whether the module is shown to learners'),
                    'revision' => new external_value(PARAM_INT, 'Package revision'),
                ])
            ),
            'warnings' => new external_warnings(),
        ]);
    }
}
