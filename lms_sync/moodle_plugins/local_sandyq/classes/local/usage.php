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
 * Provides class {@see \local_sandyq\local\usage}.
 *
 * @package     local_sandyq
 * @copyright   2026 Sandyq contributors
 * @license     https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

namespace local_sandyq\local;

/**
 * How learners used the synced SCORM activities of a course: counts and aggregates only.
 *
 * Core web services answer per learner (one call each); the catalogue needs, per activity,
 * how many learners attempted, completed and passed it, their scores' mean and median and
 * the time spent, and never who they were. A few grouped queries per course give that; no
 * user id leaves this class.
 *
 * Moodle 4.3 moved SCORM tracking into scorm_attempt + scorm_scoes_value + scorm_element;
 * earlier versions keep one scorm_scoes_track row per value. {@see tracks_sql()} reads
 * whichever this site has (see compat.php and docs/moodle-sync.md for what was checked).
 *
 * @package     local_sandyq
 * @copyright   2026 Sandyq contributors
 * @license     https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class usage {

    /** Status values that mean a SCO was completed (SCORM 1.2 lesson_status, 2004 completion_status). */
    private const COMPLETED = ['completed', 'passed'];

    /** Elements that hold a SCO's status. */
    private const STATUS_ELEMENTS = ['cmi.core.lesson_status', 'cmi.completion_status', 'cmi.success_status'];

    /** Elements that hold the time spent in a SCO. */
    private const TIME_ELEMENTS = ['cmi.core.total_time', 'cmi.total_time'];

    /**
     * The use of every synced activity of a course.
     *
     * @param int $courseid the course
     * @return array[] one entry per activity: cmid, idnumber, name, learners, completed, passed,
     *     attempts, score_mean, score_median, time_seconds
     */
    public static function course(int $courseid): array {
        global $DB;
        $sql = "SELECT cm.id AS cmid, lm.idnumber, s.id AS scormid, s.name
                  FROM {" . scorm_writer::TABLE . "} lm
                  JOIN {course_modules} cm ON cm.id = lm.cmid AND cm.deletioninprogress = 0
                  JOIN {modules} m ON m.id = cm.module AND m.name = 'scorm'
                  JOIN {scorm} s ON s.id = cm.instance
                 WHERE lm.courseid = :courseid
              ORDER BY cm.id";
        $activities = [];
        foreach ($DB->get_records_sql($sql, ['courseid' => $courseid]) as $row) {
            $activities[] = ['cmid' => (int)$row->cmid, 'idnumber' => $row->idnumber, 'name' => $row->name]
                + self::activity((int)$row->scormid);
        }
        return $activities;
    }

    /**
     * The aggregates of one SCORM instance.
     *
     * @param int $scormid the scorm instance
     * @return array learners, completed, passed, attempts, score_mean, score_median, time_seconds
     */
    public static function activity(int $scormid): array {
        global $DB;
        [$tracks, $params] = self::tracks_sql($scormid);

        $counts = $DB->get_record_sql(
            "SELECT COUNT(DISTINCT t.userid) AS learners, COUNT(DISTINCT " . $DB->sql_concat('t.userid', "'-'", 't.attempt') .
            ") AS attempts FROM ($tracks) t", $params);

        // A learner completed the activity when every SCO of it was completed (or passed).
        $scos = $DB->count_records_select('scorm_scoes', "scorm = :scorm AND scormtype = 'sco'", ['scorm' => $scormid]);
        $completed = 0;
        $passed = 0;
        $done = [];
        $time = 0;
        foreach ($DB->get_recordset_sql("SELECT t.userid, t.scoid, t.element, t.value FROM ($tracks) t", $params) as $track) {
            if (in_array($track->element, self::TIME_ELEMENTS, true)) {
                $time += self::seconds((string)$track->value);
                continue;
            }
            if (!in_array($track->element, self::STATUS_ELEMENTS, true)) {
                continue;
            }
            $value = trim((string)$track->value);
            if ($value === 'passed') {
                $done[$track->userid]['passed'] = true;
            }
            if ($track->element !== 'cmi.success_status' && in_array($value, self::COMPLETED, true)) {
                $done[$track->userid]['scos'][$track->scoid] = true;
            }
        }
        foreach ($done as $learner) {
            if (count($learner['scos'] ?? []) >= max(1, $scos)) {
                $completed++;
            }
            if (!empty($learner['passed'])) {
                $passed++;
            }
        }

        $scores = self::scores($scormid);
        return [
            'learners' => (int)$counts->learners,
            'completed' => $completed,
            'passed' => $passed,
            'attempts' => (int)$counts->attempts,
            'score_mean' => $scores ? round(array_sum($scores) / count($scores), 2) : null,
            'score_median' => $scores ? round(self::median($scores), 2) : null,
            'time_seconds' => $time,
        ];
    }

    /**
     * The rows (userid, attempt, scoid, element, value) of a SCORM's tracking, on any schema.
     *
     * @param int $scormid the scorm instance
     * @return array [sql, params]
     */
    private static function tracks_sql(int $scormid): array {
        global $DB;
        $manager = $DB->get_manager();
        if ($manager->table_exists('scorm_attempt')) {
            return ["SELECT v.id, a.userid, a.attempt, v.scoid, e.element, v.value
                       FROM {scorm_attempt} a
                       JOIN {scorm_scoes_value} v ON v.attemptid = a.id
                       JOIN {scorm_element} e ON e.id = v.elementid
                      WHERE a.scormid = :scormid", ['scormid' => $scormid]];
        }
        return ["SELECT t.id, t.userid, t.attempt, t.scoid, t.element, t.value
                   FROM {scorm_scoes_track} t
                  WHERE t.scormid = :scormid", ['scormid' => $scormid]];
    }

    /**
     * Each graded learner's grade, as a percentage of the maximum (the gradebook's final grade).
     *
     * @param int $scormid the scorm instance
     * @return float[] one per learner, in no particular order
     */
    private static function scores(int $scormid): array {
        global $DB;
        $sql = "SELECT gg.id, gg.finalgrade, gi.grademax, gi.grademin
                  FROM {grade_items} gi
                  JOIN {grade_grades} gg ON gg.itemid = gi.id
                 WHERE gi.itemtype = 'mod' AND gi.itemmodule = 'scorm' AND gi.iteminstance = :scormid
                       AND gi.itemnumber = 0 AND gg.finalgrade IS NOT NULL";
        $scores = [];
        foreach ($DB->get_records_sql($sql, ['scormid' => $scormid]) as $grade) {
            $range = (float)$grade->grademax - (float)$grade->grademin;
            if ($range > 0) {
                $scores[] = 100 * ((float)$grade->finalgrade - (float)$grade->grademin) / $range;
            }
        }
        return $scores;
    }

    /**
     * The median of a non-empty list.
     *
     * @param float[] $values
     * @return float
     */
    private static function median(array $values): float {
        sort($values);
        $middle = intdiv(count($values), 2);
        return count($values) % 2 ? $values[$middle] : ($values[$middle - 1] + $values[$middle]) / 2;
    }

    /**
     * Seconds in a SCORM time: 1.2's HHHH:MM:SS.SS or 2004's ISO 8601 duration (PT1H2M3.5S).
     *
     * @param string $value
     * @return int whole seconds, 0 for a value that is neither
     */
    public static function seconds(string $value): int {
        $value = trim($value);
        if (preg_match('/^(\d{2,4}):([0-5]\d):([0-5]\d)(\.\d{1,2})?$/', $value, $m)) {
            return (int)$m[1] * 3600 + (int)$m[2] * 60 + (int)$m[3];
        }
        if (preg_match('/^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/',
                $value, $m) && $value !== 'P' && $value !== 'PT') {
            $parts = array_map('floatval', array_pad(array_slice($m, 1), 6, 0));
            [$years, $months, $days, $hours, $minutes, $secs] = $parts;
            return (int)round((($years * 365 + $months * 30 + $days) * 24 + $hours) * 3600 + $minutes * 60 + $secs);
        }
        return 0;
    }
}
