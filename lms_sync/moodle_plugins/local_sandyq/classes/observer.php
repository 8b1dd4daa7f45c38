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
 * Provides class {@see \local_sandyq\observer}.
 *
 * @package     local_sandyq
 * @copyright   2026 Sandyq contributors
 * @license     https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

namespace local_sandyq;

use local_sandyq\local\scorm_writer;

/**
 * Forgets synced modules when Moodle deletes them.
 *
 * get_synced already ignores rows whose module is gone (it joins course_modules); these
 * observers only keep the table small.
 *
 * @package     local_sandyq
 * @copyright   2026 Sandyq contributors
 * @license     https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class observer {

    /**
     * A course module was deleted.
     *
     * @param \core\event\course_module_deleted $event the event
     * @return void
     */
    public static function course_module_deleted(\core\event\course_module_deleted $event): void {
        global $DB;
        $DB->delete_records(scorm_writer::TABLE, ['cmid' => $event->objectid]);
    }

    /**
     * A course was deleted.
     *
     * @param \core\event\course_deleted $event the event
     * @return void
     */
    public static function course_deleted(\core\event\course_deleted $event): void {
        global $DB;
        $DB->delete_records(scorm_writer::TABLE, ['courseid' => $event->objectid]);
    }
}
