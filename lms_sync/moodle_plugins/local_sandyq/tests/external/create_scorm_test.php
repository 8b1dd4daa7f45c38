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
 * Tests for the local_sandyq external functions (create_scorm, update_scorm, get_synced).
 *
 * @package     local_sandyq
 * @category    test
 * @copyright   2026 Sandyq contributors
 * @license     https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

namespace local_sandyq\external;

defined('MOODLE_INTERNAL') || die();

global $CFG;
require_once($CFG->dirroot . '/local/sandyq/compat.php');
require_once($CFG->dirroot . '/mod/scorm/lib.php');
require_once($CFG->dirroot . '/mod/scorm/locallib.php');

use core_external\external_api;
use local_sandyq\local\scorm_writer;

/**
 * Tests for the local_sandyq external functions, inside a Moodle site.
 *
 * @package     local_sandyq
 * @category    test
 * @copyright   2026 Sandyq contributors
 * @license     https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 * @covers      \local_sandyq\external\create_scorm
 * @covers      \local_sandyq\external\update_scorm
 * @covers      \local_sandyq\external\get_synced
 * @covers      \local_sandyq\local\scorm_writer
 */
final class create_scorm_test extends \advanced_testcase {

    /**
     * A SCORM 1.2 manifest with one SCO per identifier given.
     *
     * @param string[] $identifiers item identifiers
     * @param string $title the organization's title, to tell versions apart
     * @return string the XML
     */
    private static function manifest(array $identifiers, string $title): string {
        $items = '';
        $resources = '';
        foreach ($identifiers as $i => $identifier) {
            $items .= '<item identifier="' . $identifier . '" identifierref="RES-' . $i . '"><title>' . $identifier .
                '</title></item>';
            $resources .= '<resource identifier="RES-' . $i . '" type="webcontent" adlcp:scormtype="sco" href="sco' . $i .
                '.html"><file href="sco' . $i . '.html"/></resource>';
        }
        return '<?xml version="1.0" encoding="UTF-8"?>' .
            '<manifest identifier="SANDYQ-TEST" version="1.0" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"' .
            ' xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">' .
            '<metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>' .
            '<organizations default="ORG-1"><organization identifier="ORG-1"><title>' . $title . '</title>' . $items .
            '</organization></organizations><resources>' . $resources . '</resources></manifest>';
    }

    /**
     * Puts a package into a new draft area of the current user.
     *
     * @param string $filename the file name
     * @param string|null $manifest the manifest, null for none
     * @param int|null $draftitemid an existing draft area to add to
     * @return int the draft item id
     */
    private function draft(string $filename, ?string $manifest, ?int $draftitemid = null): int {
        global $USER;
        $path = make_request_directory() . '/' . $filename;
        $zip = new \ZipArchive();
        $zip->open($path, \ZipArchive::CREATE);
        if ($manifest !== null) {
            $zip->addFromString('imsmanifest.xml', $manifest);
        }
        $zip->addFromString('sco0.html', '<!doctype html><title>SCO</title>');
        $zip->addFromString('sco1.html', '<!doctype html><title>SCO</title>');
        $zip->close();

        $draftitemid = $draftitemid ?? file_get_unused_draft_itemid();
        get_file_storage()->create_file_from_pathname([
            'contextid' => \context_user::instance($USER->id)->id,
            'component' => 'user',
            'filearea' => 'draft',
            'itemid' => $draftitemid,
            'filepath' => '/',
            'filename' => $filename,
        ], $path);
        return $draftitemid;
    }

    /**
     * A course and a user allowed to sync it (a manager there).
     *
     * @return array [course, user]
     */
    private function course_with_sync_user(): array {
        $generator = $this->getDataGenerator();
        $course = $generator->create_course(['numsections' => 3]);
        $user = $generator->create_user();
        $generator->enrol_user($user->id, $course->id, 'manager');
        $this->setUser($user);
        return [$course, $user];
    }

    /**
     * Calls create_scorm and cleans the result like the web-service layer does.
     *
     * @param array $args the arguments after courseid
     * @param int $courseid the course
     * @return array the result
     */
    private static function create(int $courseid, array $args): array {
        $args += ['section' => 1, 'name' => 'Ньютон заңдары', 'intro' => '', 'visible' => 1];
        $result = create_scorm::execute($courseid, $args['section'], $args['name'], $args['draftitemid'],
            $args['idnumber'], $args['intro'], $args['visible']);
        return external_api::clean_returnvalue(create_scorm::execute_returns(), $result);
    }

    /**
     * Asserts a moodle_exception with an error code.
     *
     * @param string $errorcode the expected code
     * @param callable $call the call
     * @return \moodle_exception the exception
     */
    private function assert_error(string $errorcode, callable $call): \moodle_exception {
        try {
            $call();
        } catch (\moodle_exception $e) {
            $this->assertSame($errorcode, $e->errorcode, $e->getMessage());
            return $e;
        }
        $this->fail('expected a moodle_exception with error code ' . $errorcode);
    }

    /**
     * A teacher may add SCORM activities by hand but not sync: nopermissions, nothing created.
     *
     * @return void
     */
    public function test_create_requires_sync_capability(): void {
        global $DB;
        $this->resetAfterTest();
        $generator = $this->getDataGenerator();
        $course = $generator->create_course();
        $teacher = $generator->create_user();
        $generator->enrol_user($teacher->id, $course->id, 'editingteacher');
        $this->setUser($teacher);
        $draft = $this->draft('lesson.zip', self::manifest(['ITEM-1'], 'v1'));

        $this->assert_error('nopermissions', function() use ($course, $draft) {
            self::create($course->id, ['draftitemid' => $draft, 'idnumber' => 'sandyq:a']);
        });
        $this->assertSame(0, $DB->count_records('scorm', ['course' => $course->id]));
    }

    /**
     * Creating: the activity, its settings, the package hash and the tracking row.
     *
     * @return void
     */
    public function test_create(): void {
        global $DB;
        $this->resetAfterTest();
        [$course] = $this->course_with_sync_user();
        $draft = $this->draft('lesson.zip', self::manifest(['ITEM-1', 'ITEM-2'], 'v1'));

        $result = self::create($course->id, [
            'draftitemid' => $draft, 'idnumber' => 'sandyq:res-1', 'section' => 2, 'intro' => '<p>Кіріспе</p>',
        ]);

        $cm = get_coursemodule_from_id('scorm', $result['cmid'], $course->id, true, MUST_EXIST);
        $this->assertSame('sandyq:res-1', $cm->idnumber);
        $this->assertEquals(2, $cm->sectionnum);
        $this->assertEquals(1, $cm->visible);
        $scorm = $DB->get_record('scorm', ['id' => $result['instanceid']], '*', MUST_EXIST);
        $this->assertSame('Ньютон заңдары', $scorm->name);
        $this->assertSame('<p>Кіріспе</p>', $scorm->intro);
        $this->assertSame('SCORM_1.2', $scorm->version);
        $this->assertSame('lesson.zip', $scorm->reference);
        $this->assertEquals(1, $scorm->grademethod);
        $this->assertEquals(100, $scorm->maxgrade);
        $this->assertSame($scorm->sha1hash, $result['sha1hash']);
        $this->assertSame((int)$scorm->revision, $result['revision']);
        $this->assertSame(2, $DB->count_records_select('scorm_scoes', "scorm = ? AND scormtype = 'sco'", [$scorm->id]));
        $this->assertTrue($DB->record_exists(scorm_writer::TABLE,
            ['cmid' => $result['cmid'], 'courseid' => $course->id, 'idnumber' => 'sandyq:res-1', 'sha1hash' => $scorm->sha1hash]));
    }

    /**
     * A hidden activity stays hidden.
     *
     * @return void
     */
    public function test_create_hidden(): void {
        $this->resetAfterTest();
        [$course] = $this->course_with_sync_user();
        $draft = $this->draft('lesson.zip', self::manifest(['ITEM-1'], 'v1'));
        $result = self::create($course->id, ['draftitemid' => $draft, 'idnumber' => 'sandyq:hidden', 'visible' => 0]);
        $cm = get_coursemodule_from_id('scorm', $result['cmid'], $course->id, false, MUST_EXIST);
        $this->assertEquals(0, $cm->visible);
    }

    /**
     * A malformed manifest is an invalidpackage error: nothing printed, nothing created.
     *
     * @return void
     */
    public function test_create_malformed_package(): void {
        global $DB;
        $this->resetAfterTest();
        [$course] = $this->course_with_sync_user();
        $broken = str_replace('</organization>', '</organisation>', self::manifest(['ITEM-1'], 'v1'));
        $draft = $this->draft('broken.zip', $broken);

        $this->expectOutputString('');
        $e = $this->assert_error('invalidpackage', function() use ($course, $draft) {
            self::create($course->id, ['draftitemid' => $draft, 'idnumber' => 'sandyq:broken']);
        });
        $this->assertStringContainsString('[malformed_xml]', $e->getMessage());
        $this->assertSame(0, $DB->count_records('scorm', ['course' => $course->id]));
        $this->assertSame(0, $DB->count_records(scorm_writer::TABLE));

        $draft = $this->draft('nomanifest.zip', null);
        $e = $this->assert_error('invalidpackage', function() use ($course, $draft) {
            self::create($course->id, ['draftitemid' => $draft, 'idnumber' => 'sandyq:nomanifest']);
        });
        $this->assertStringContainsString('[no_manifest]', $e->getMessage());
    }

    /**
     * The draft area must hold exactly one .zip; ID numbers are unique in the course.
     *
     * @return void
     */
    public function test_create_refusals(): void {
        $this->resetAfterTest();
        [$course] = $this->course_with_sync_user();

        $e = $this->assert_error('invalidpackage', function() use ($course) {
            self::create($course->id, ['draftitemid' => file_get_unused_draft_itemid(), 'idnumber' => 'sandyq:none']);
        });
        $this->assertStringContainsString('[draft_area]', $e->getMessage());
        $two = $this->draft('a.zip', self::manifest(['ITEM-1'], 'v1'));
        $this->draft('b.zip', self::manifest(['ITEM-1'], 'v1'), $two);
        $this->assert_error('invalidpackage', function() use ($course, $two) {
            self::create($course->id, ['draftitemid' => $two, 'idnumber' => 'sandyq:two']);
        });

        $draft = $this->draft('lesson.zip', self::manifest(['ITEM-1'], 'v1'));
        self::create($course->id, ['draftitemid' => $draft, 'idnumber' => 'sandyq:same']);
        $again = $this->draft('lesson.zip', self::manifest(['ITEM-1'], 'v1'));
        $this->assert_error('idnumbertaken', function() use ($course, $again) {
            self::create($course->id, ['draftitemid' => $again, 'idnumber' => 'sandyq:same']);
        });

        $this->assert_error('invalidrecord', function() use ($again) {
            self::create(999999, ['draftitemid' => $again, 'idnumber' => 'sandyq:nowhere']);
        });

        $this->expectException(\invalid_parameter_exception::class);
        self::create($course->id, ['draftitemid' => $again, 'idnumber' => 'sandyq:x', 'visible' => 2]);
    }

    /**
     * Replacing the package keeps the course module and learners' tracking of unchanged SCOs.
     *
     * @return void
     */
    public function test_update_keeps_cmid_and_tracking(): void {
        global $DB;
        $this->resetAfterTest();
        [$course] = $this->course_with_sync_user();
        $created = self::create($course->id, [
            'draftitemid' => $this->draft('lesson.zip', self::manifest(['ITEM-1', 'ITEM-2'], 'v1')),
            'idnumber' => 'sandyq:res-2',
        ]);

        $learner = $this->getDataGenerator()->create_and_enrol($course, 'student');
        $sco = $DB->get_record('scorm_scoes', ['scorm' => $created['instanceid'], 'identifier' => 'ITEM-1'], '*', MUST_EXIST);
        scorm_insert_track($learner->id, $created['instanceid'], $sco->id, 1, 'cmi.core.lesson_status', 'completed');

        $draft = $this->draft('lesson-v2.zip', self::manifest(['ITEM-1', 'ITEM-2'], 'v2'));
        $result = external_api::clean_returnvalue(update_scorm::execute_returns(),
            update_scorm::execute($created['cmid'], $draft));

        $this->assertSame($created['cmid'], $result['cmid']);
        $this->assertSame($created['instanceid'], $result['instanceid']);
        $this->assertNotSame($created['sha1hash'], $result['sha1hash']);
        $this->assertGreaterThan($created['revision'], $result['revision']);
        $scorm = $DB->get_record('scorm', ['id' => $created['instanceid']], '*', MUST_EXIST);
        $this->assertSame('lesson-v2.zip', $scorm->reference);
        $cm = get_coursemodule_from_id('scorm', $created['cmid'], 0, false, MUST_EXIST);
        $this->assertSame('sandyq:res-2', $cm->idnumber);

        $newsco = $DB->get_record('scorm_scoes', ['scorm' => $scorm->id, 'identifier' => 'ITEM-1'], '*', MUST_EXIST);
        $tracks = scorm_get_tracks($newsco->id, $learner->id);
        $this->assertNotEmpty($tracks);
        $this->assertSame('completed', $tracks->status);
        $this->assertSame($result['sha1hash'], $DB->get_field(scorm_writer::TABLE, 'sha1hash', ['cmid' => $created['cmid']]));
    }

    /**
     * Updating refuses unknown modules, modules the sync did not create and broken packages.
     *
     * @return void
     */
    public function test_update_refusals(): void {
        $this->resetAfterTest();
        [$course] = $this->course_with_sync_user();
        $draft = $this->draft('lesson.zip', self::manifest(['ITEM-1'], 'v1'));

        $this->assert_error('invalidcoursemodule', function() use ($draft) {
            update_scorm::execute(999999, $draft);
        });

        $manual = $this->getDataGenerator()->create_module('scorm', ['course' => $course->id]);
        $this->assert_error('notsynced', function() use ($manual, $draft) {
            update_scorm::execute($manual->cmid, $draft);
        });

        $created = self::create($course->id, ['draftitemid' => $draft, 'idnumber' => 'sandyq:res-3']);
        $broken = $this->draft('v2.zip', str_replace('<schemaversion>1.2', '<schemaversion>2004 2nd Edition',
            self::manifest(['ITEM-1'], 'v2')));
        $e = $this->assert_error('invalidpackage', function() use ($created, $broken) {
            update_scorm::execute($created['cmid'], $broken);
        });
        $this->assertStringContainsString('[schemaversion_unknown]', $e->getMessage());
    }

    /**
     * Listing: every synced module with its course, section, hash and visibility, in one call.
     *
     * @return void
     */
    public function test_get_synced(): void {
        $this->resetAfterTest();
        [$course, $user] = $this->course_with_sync_user();
        $other = $this->getDataGenerator()->create_course(['numsections' => 2]);
        $this->getDataGenerator()->enrol_user($user->id, $other->id, 'manager');
        $forbidden = $this->getDataGenerator()->create_course();

        $a = self::create($course->id, [
            'draftitemid' => $this->draft('a.zip', self::manifest(['ITEM-1'], 'a')), 'idnumber' => 'sandyq:a', 'section' => 1,
        ]);
        $b = self::create($other->id, [
            'draftitemid' => $this->draft('b.zip', self::manifest(['ITEM-1'], 'b')), 'idnumber' => 'sandyq:b', 'section' => 2,
            'visible' => 0,
        ]);
        $this->getDataGenerator()->create_module('scorm', ['course' => $course->id]);

        $all = external_api::clean_returnvalue(get_synced::execute_returns(), get_synced::execute([]));
        $this->assertSame([], $all['warnings']);
        $this->assertCount(2, $all['modules']);
        $this->assertSame([
            'cmid' => $a['cmid'], 'instanceid' => $a['instanceid'], 'courseid' => (int)$course->id, 'section' => 1,
            'idnumber' => 'sandyq:a', 'name' => 'Ньютон заңдары', 'sha1hash' => $a['sha1hash'], 'visible' => true,
            'revision' => $a['revision'],
        ], $all['modules'][0]);
        $this->assertSame($b['cmid'], $all['modules'][1]['cmid']);
        $this->assertSame(2, $all['modules'][1]['section']);
        $this->assertFalse($all['modules'][1]['visible']);

        $some = external_api::clean_returnvalue(get_synced::execute_returns(),
            get_synced::execute([$other->id, $forbidden->id, 999999]));
        $this->assertSame([$b['cmid']], array_column($some['modules'], 'cmid'));
        $this->assertEqualsCanonicalizing([$forbidden->id, 999999], array_column($some['warnings'], 'itemid'));

        course_delete_module($a['cmid']);
        $after = external_api::clean_returnvalue(get_synced::execute_returns(), get_synced::execute([$course->id]));
        $this->assertSame([], $after['modules']);
    }
}
