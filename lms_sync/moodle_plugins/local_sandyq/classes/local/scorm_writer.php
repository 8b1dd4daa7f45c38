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
 * Provides class {@see \local_sandyq\local\scorm_writer}.
 *
 * @package     local_sandyq
 * @copyright   2026 Sandyq contributors
 * @license     https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

namespace local_sandyq\local;

/**
 * Creates SCORM activities and replaces their packages, the way the activity form does.
 *
 * Shared by the create_scorm and update_scorm external functions. The package waits in the
 * calling user's draft area (uploaded with /webservice/upload.php) and is checked with
 * {@see package_check} before mod_scorm parses it. mod_scorm's own code may print (HTML
 * notifications): that output is captured so the web-service answer stays clean.
 *
 * Capabilities are checked by the callers; this class assumes they have been.
 *
 * @package     local_sandyq
 * @copyright   2026 Sandyq contributors
 * @license     https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class scorm_writer {

    /** The table recording the modules this plugin created. */
    public const TABLE = 'local_sandyq_modules';

    /** Reason code when the draft area does not hold exactly one .zip. */
    public const REASON_DRAFT_AREA = 'draft_area';

    /** Reason code when mod_scorm itself could not make sense of a package that passed the check. */
    public const REASON_MOODLE_REFUSED = 'moodle_refused';

    /** The settings create_scorm accepts, with mod_scorm's shipped defaults. */
    public const GRADE_DEFAULTS = [
        'grademethod' => 1,          // GRADEHIGHEST.
        'maxgrade' => 100,
        'maxattempt' => 0,           // Unlimited.
        'whatgrade' => 0,            // HIGHESTATTEMPT.
        'displayattemptstatus' => 1, // SCORM_DISPLAY_ATTEMPTSTATUS_ALL.
        'popup' => 0,                // Current window.
    ];

    /**
     * Loads the libraries add_moduleinfo()/update_moduleinfo() and mod_scorm need.
     *
     * @return void
     */
    public static function require_libraries(): void {
        global $CFG;
        require_once($CFG->dirroot . '/course/lib.php');
        require_once($CFG->dirroot . '/course/modlib.php');
        require_once($CFG->libdir . '/gradelib.php');
        require_once($CFG->libdir . '/filelib.php');
        require_once($CFG->dirroot . '/mod/scorm/lib.php');
        require_once($CFG->dirroot . '/mod/scorm/locallib.php');
    }

    /**
     * The single .zip waiting in the current user's draft area.
     *
     * @param int $draftitemid the draft item id returned by /webservice/upload.php
     * @return \stored_file the package
     * @throws \moodle_exception invalidpackage (draft_area) unless the area holds exactly one .zip
     */
    public static function draft_package(int $draftitemid): \stored_file {
        global $USER;
        $usercontext = \context_user::instance($USER->id);
        $files = get_file_storage()->get_area_files($usercontext->id, 'user', 'draft', $draftitemid, 'id', false);
        $names = [];
        foreach ($files as $file) {
            $names[] = $file->get_filename();
        }
        if (count($files) !== 1 || strtolower(substr($names[0], -4)) !== '.zip') {
            $holds = $names ? implode(', ', $names) : 'nothing';
            throw self::invalid_package(self::REASON_DRAFT_AREA, 'draft area ' . $draftitemid . ' holds ' . $holds);
        }
        return reset($files);
    }

    /**
     * Runs {@see package_check} on a stored package.
     *
     * @param \stored_file $file the package
     * @return package_check the passing check
     * @throws \moodle_exception invalidpackage with the reason when the check fails
     */
    public static function check_package(\stored_file $file): package_check {
        $path = $file->copy_content_to_temp('local_sandyq', 'package_');
        if ($path === false) {
            throw self::invalid_package(package_check::REASON_NOT_ZIP, 'the package could not be copied for checking');
        }
        try {
            $check = package_check::check_file($path);
        } finally {
            @unlink($path);
        }
        if (!$check->ok) {
            throw self::invalid_package($check->reason, $check->detail);
        }
        return $check;
    }

    /**
     * The exception for a refused package: errorcode invalidpackage, the reason code in the message.
     *
     * @param string $reason a reason code
     * @param string $detail the English detail (kept in debuginfo)
     * @return \moodle_exception
     */
    public static function invalid_package(string $reason, string $detail): \moodle_exception {
        $a = (object)[
            'reason' => $reason,
            'detail' => get_string('reason_' . $reason, 'local_sandyq', $detail),
        ];
        return new \moodle_exception('invalidpackage', 'local_sandyq', '', $a, $reason . ': ' . $detail);
    }

    /**
     * Creates a SCORM activity from the package in a draft area.
     *
     * @param \stdClass $course the course record
     * @param int $section the section number
     * @param string $name the activity name
     * @param int $draftitemid the draft area holding the package
     * @param string $idnumber the course module idnumber (unique in the course)
     * @param string $intro the description (HTML)
     * @param int $visible 1 shown, 0 hidden
     * @param array $grading grademethod, maxgrade, maxattempt, whatgrade, displayattemptstatus, popup
     * @return array the result: cmid, instanceid, sha1hash, revision
     */
    public static function create(\stdClass $course, int $section, string $name, int $draftitemid,
            string $idnumber, string $intro, int $visible, array $grading): array {
        global $DB;
        self::require_libraries();

        if (!grade_verify_idnumber($idnumber, $course->id)) {
            throw new \moodle_exception('idnumbertaken', 'local_sandyq', '', $idnumber);
        }
        $package = self::draft_package($draftitemid);
        self::check_package($package);

        $transaction = $DB->start_delegated_transaction();
        try {
            // Returns [$module, $context, $section, $cm, $data]: the form's defaults are the last.
            [, , , , $moduleinfo] = prepare_new_moduleinfo_data($course, 'scorm', $section);
            $moduleinfo->name = $name;
            $moduleinfo->introeditor = [
                'text' => $intro,
                'format' => FORMAT_HTML,
                'itemid' => $moduleinfo->introeditor['itemid'] ?? file_get_unused_draft_itemid(),
            ];
            $moduleinfo->showdescription = 0;
            $moduleinfo->visible = $visible;
            $moduleinfo->visibleoncoursepage = 1;
            $moduleinfo->cmidnumber = $idnumber;
            foreach (self::instance_defaults() as $field => $value) {
                $moduleinfo->$field = $value;
            }
            foreach (self::GRADE_DEFAULTS as $field => $default) {
                $moduleinfo->$field = $grading[$field] ?? $default;
            }
            $moduleinfo->scormtype = SCORM_TYPE_LOCAL;
            $moduleinfo->packagefile = $draftitemid;

            $moduleinfo = self::quietly(function() use ($moduleinfo, $course) {
                return add_moduleinfo($moduleinfo, $course);
            });
            $cmid = (int)$moduleinfo->coursemodule;
            $result = self::parsed_result($cmid);

            $now = time();
            $DB->insert_record(self::TABLE, (object)[
                'cmid' => $cmid,
                'courseid' => $course->id,
                'idnumber' => $idnumber,
                'sha1hash' => $result['sha1hash'],
                'timecreated' => $now,
                'timemodified' => $now,
            ]);
            $transaction->allow_commit();
            return $result;
        } catch (\Throwable $e) {
            // Rolls back the activity, its files and the tracking row, then rethrows.
            $transaction->rollback($e);
            throw $e;
        }
    }

    /**
     * Replaces the package of a SCORM activity this plugin created and/or renames it,
     * keeping the course module.
     *
     * mod_scorm re-reads the manifest and moves learners' tracking data to the new SCOs that
     * have the same identifiers, so attempts survive as long as identifiers do not change.
     * Every other setting of the activity is kept as it is; a new name reaches the
     * gradebook's item too, as the activity form would do it.
     *
     * @param \stdClass $cm the course module (scorm)
     * @param int $draftitemid the draft area holding the new package, 0 to keep the package
     * @param string $name the new name, '' to keep the name
     * @return array the result: cmid, instanceid, sha1hash, revision
     */
    public static function update(\stdClass $cm, int $draftitemid, string $name = ''): array {
        global $DB;
        self::require_libraries();

        if ($draftitemid !== 0) {
            self::check_package(self::draft_package($draftitemid));
        }

        $course = get_course($cm->course);
        $transaction = $DB->start_delegated_transaction();
        try {
            [$cm, , , $data] = get_moduleinfo_data($cm, $course);
            if ($data->scormtype !== SCORM_TYPE_LOCAL) {
                throw new \moodle_exception('notlocalpackage', 'local_sandyq');
            }
            if ($draftitemid !== 0) {
                $data->packagefile = $draftitemid;
            } else {
                unset($data->packagefile);
            }
            if ($name !== '') {
                $data->name = $name;
            }
            // The form shows gradepass localised; give update_moduleinfo() numbers again.
            foreach (get_object_vars($data) as $field => $value) {
                if (substr($field, -9) === 'gradepass' && is_string($value)) {
                    $data->$field = unformat_float($value);
                }
            }
            // The popup window options live in one text column; the form splits them.
            if (!empty($data->popup) && !empty($data->options)) {
                foreach (explode(',', $data->options) as $option) {
                    $pair = explode('=', $option, 2);
                    if (count($pair) === 2 && preg_match('/^[a-z]+$/', $pair[0])) {
                        $data->{$pair[0]} = $pair[1];
                    }
                }
            }
            self::quietly(function() use ($cm, $data, $course) {
                return update_moduleinfo($cm, $data, $course);
            });
            $result = self::parsed_result((int)$cm->id);
            $DB->set_field(self::TABLE, 'sha1hash', $result['sha1hash'], ['cmid' => $cm->id]);
            $DB->set_field(self::TABLE, 'timemodified', time(), ['cmid' => $cm->id]);
            $transaction->allow_commit();
            return $result;
        } catch (\Throwable $e) {
            // Rolls back the activity, its files and the tracking row, then rethrows.
            $transaction->rollback($e);
            throw $e;
        }
    }

    /**
     * The result of a create or update, after checking that mod_scorm made a launchable activity.
     *
     * @param int $cmid the course module id
     * @return array cmid, instanceid, sha1hash, revision
     */
    private static function parsed_result(int $cmid): array {
        global $DB;
        $sql = "SELECT s.id, s.sha1hash, s.revision, s.version, s.launch
                  FROM {course_modules} cm
                  JOIN {modules} m ON m.id = cm.module AND m.name = 'scorm'
                  JOIN {scorm} s ON s.id = cm.instance
                 WHERE cm.id = :cmid";
        $scorm = $DB->get_record_sql($sql, ['cmid' => $cmid], MUST_EXIST);
        if ($scorm->version === 'ERROR' || empty($scorm->launch) || empty($scorm->sha1hash)) {
            throw self::invalid_package(self::REASON_MOODLE_REFUSED,
                'mod_scorm recorded version "' . $scorm->version . '" and launch ' . (int)$scorm->launch);
        }
        return [
            'cmid' => $cmid,
            'instanceid' => (int)$scorm->id,
            'sha1hash' => (string)$scorm->sha1hash,
            'revision' => (int)$scorm->revision,
        ];
    }

    /**
     * The site's SCORM defaults for the settings create_scorm does not take.
     *
     * @return array field => value
     */
    private static function instance_defaults(): array {
        $cfg = get_config('scorm');
        $setting = function(string $name, $default) use ($cfg) {
            return isset($cfg->$name) && $cfg->$name !== '' ? $cfg->$name : $default;
        };
        return [
            'packageurl' => '',
            'updatefreq' => SCORM_UPDATE_NEVER,
            'width' => $setting('framewidth', 100),
            'height' => $setting('frameheight', 500),
            'skipview' => $setting('skipview', 0),
            'hidebrowse' => $setting('hidebrowse', 0),
            'displaycoursestructure' => $setting('displaycoursestructure', 0),
            'hidetoc' => $setting('hidetoc', 0),
            'nav' => $setting('nav', SCORM_NAV_UNDER_CONTENT),
            'navpositionleft' => $setting('navpositionleft', -100),
            'navpositiontop' => $setting('navpositiontop', -100),
            'displayactivityname' => $setting('displayactivityname', 1),
            'forcenewattempt' => $setting('forcenewattempt', 0),
            'lastattemptlock' => $setting('lastattemptlock', 0),
            'forcecompleted' => $setting('forcecompleted', 0),
            'masteryoverride' => $setting('masteryoverride', 1),
            'auto' => $setting('auto', 0),
            'autocommit' => $setting('autocommit', 0),
            'timeopen' => 0,
            'timeclose' => 0,
        ];
    }

    /**
     * Runs mod_scorm code with its printed output captured, so nothing leaks into the answer.
     *
     * @param callable $work the code
     * @return mixed what the code returns
     */
    private static function quietly(callable $work) {
        $level = ob_get_level();
        ob_start();
        try {
            return $work();
        } finally {
            $printed = '';
            while (ob_get_level() > $level) {
                $printed = ob_get_clean() . $printed;
            }
            if (trim($printed) !== '') {
                debugging('local_sandyq: mod_scorm printed output while saving a package: ' .
                    s(shorten_text(strip_tags($printed), 500)), DEBUG_DEVELOPER);
            }
        }
    }
}
