<?php
// This file is part of Sandyq's test tools, not of any Moodle plugin.
//
// What the real-Moodle tests do inside the site that no web service offers them, each a
// subcommand that prints one JSON line:
//
//   role                               the capabilities the sync role allows (system context)
//   plugins                            the installed versions of local_sandyq, repository_sandyq
//   capability CAP 1|0                 allow or remove CAP in the sync role (system context)
//   service 1|0                        enable or disable the Sandyq sync service
//   enrol COURSEID USERNAME ROLE       enrol a test user (student, editingteacher)
//   gradebook CMID USERNAME            the user's grade (0-100 or null) and attempt count
//   repository URL TOKEN               enable repository_sandyq with the catalogue's address
//   listing USERNAME COURSEID [WORDS [GRADE]]  the file picker's listing (or search, with the
//                                      search form's grade: '' for any) in a course
//   searchform USERNAME COURSEID       the file picker's search form (HTML)
//   pick USERNAME COURSEID SOURCE NAME a teacher picks a package into a new SCORM activity
//
// Usage: php testsite.php MOODLE_DIR SUBCOMMAND ARGS...

define('CLI_SCRIPT', true);
require($argv[1] . '/config.php');
require_once($CFG->dirroot . '/repository/lib.php');
require_once($CFG->libdir . '/gradelib.php');
require_once($CFG->dirroot . '/course/modlib.php');
require_once($CFG->dirroot . '/mod/scorm/lib.php');
require_once($CFG->dirroot . '/mod/scorm/locallib.php');
require_once($CFG->dirroot . '/lib/enrollib.php');

$command = $argv[2] ?? '';
$args = array_slice($argv, 3);
$system = context_system::instance();

/**
 * A test user by name.
 *
 * @param string $username
 * @return stdClass
 */
function sandyq_user(string $username): stdClass {
    global $DB, $CFG;
    return $DB->get_record('user', ['username' => $username, 'mnethostid' => $CFG->mnet_localhost_id], '*', MUST_EXIST);
}

/**
 * The repository_sandyq instance, as the file picker would open it in a course.
 *
 * @param context $context
 * @return repository
 */
function sandyq_repository(context $context): repository {
    // As the file picker asks: the capability in this context, instances here or above.
    $instances = repository::get_instances(['type' => 'sandyq', 'currentcontext' => $context,
        'context' => array_values($context->get_parent_contexts(true)), 'onlyvisible' => true]);
    if (!$instances) {
        throw new moodle_exception('norepository', 'repository');
    }
    return reset($instances);
}

\core\session\manager::set_user(get_admin());
switch ($command) {
    case 'capability':
        [$capability, $allowed] = $args;
        $roleid = $DB->get_field('role', 'id', ['shortname' => 'sandyqsync'], MUST_EXIST);
        if ($allowed === '1') {
            assign_capability($capability, CAP_ALLOW, $roleid, $system->id, true);
        } else {
            unassign_capability($capability, $roleid, $system->id);
        }
        $result = ['capability' => $capability, 'allowed' => $allowed === '1'];
        break;

    case 'role':
        $roleid = $DB->get_field('role', 'id', ['shortname' => 'sandyqsync'], MUST_EXIST);
        $caps = $DB->get_fieldset_select('role_capabilities', 'capability',
            'roleid = :roleid AND contextid = :contextid AND permission = :allow',
            ['roleid' => $roleid, 'contextid' => $system->id, 'allow' => CAP_ALLOW]);
        sort($caps);
        $result = ['capabilities' => $caps];
        break;

    case 'plugins':
        $result = [
            'local_sandyq' => get_config('local_sandyq', 'version'),
            'repository_sandyq' => get_config('repository_sandyq', 'version'),
        ];
        break;

    case 'service':
        $DB->set_field('external_services', 'enabled', (int)$args[0], ['shortname' => 'local_sandyq_sync']);
        $result = ['enabled' => (int)$args[0]];
        break;

    case 'enrol':
        [$courseid, $username, $rolename] = $args;
        $user = sandyq_user($username);
        $roleid = $DB->get_field('role', 'id', ['shortname' => $rolename], MUST_EXIST);
        $plugin = enrol_get_plugin('manual');
        $instance = $DB->get_record('enrol', ['courseid' => $courseid, 'enrol' => 'manual'], '*', IGNORE_MULTIPLE);
        if (!$instance) {
            $course = get_course($courseid);
            $plugin->add_instance($course);
            $instance = $DB->get_record('enrol', ['courseid' => $courseid, 'enrol' => 'manual'], '*', MUST_EXIST);
        }
        $plugin->enrol_user($instance, $user->id, $roleid);
        $result = ['courseid' => (int)$courseid, 'userid' => (int)$user->id, 'role' => $rolename];
        break;

    case 'gradebook':
        [$cmid, $username] = $args;
        $user = sandyq_user($username);
        $cm = get_coursemodule_from_id('scorm', $cmid, 0, false, MUST_EXIST);
        $scorm = $DB->get_record('scorm', ['id' => $cm->instance], '*', MUST_EXIST);
        $grades = grade_get_grades($cm->course, 'mod', 'scorm', $scorm->id, $user->id);
        $grade = null;
        if (!empty($grades->items[0]->grades[$user->id]) && $grades->items[0]->grades[$user->id]->grade !== null) {
            $grade = (float)$grades->items[0]->grades[$user->id]->grade;
        }
        $result = [
            'grade' => $grade,
            'attempts' => (int)scorm_get_attempt_count($user->id, $scorm),
            'revision' => (int)$scorm->revision,
            'sha1hash' => $scorm->sha1hash,
        ];
        break;

    case 'repository':
        [$url, $token] = $args;
        $type = repository::get_type_by_typename('sandyq');
        $options = ['catalogueurl' => $url, 'token' => $token, 'pluginname' => ''];
        if (!$type) {
            $type = new repository_type('sandyq', $options, true);
            $type->create(true);
        } else {
            $type->update_options($options);
            $type->update_visibility(true);
        }
        $result = ['enabled' => true, 'catalogueurl' => $url];
        break;

    case 'listing':
        $user = sandyq_user($args[0]);
        \core\session\manager::set_user($user);
        $repository = sandyq_repository(context_course::instance((int)$args[1]));
        $words = $args[2] ?? '';
        if (isset($args[3])) {
            $_GET['sandyq_grade'] = $args[3];
        }
        $listing = $words === '' && !isset($args[3])
            ? $repository->get_listing('', 1) : $repository->search($words, 1);
        $result = ['total' => $listing['total'], 'list' => $listing['list']];
        break;

    case 'searchform':
        \core\session\manager::set_user(sandyq_user($args[0]));
        $result = ['html' => sandyq_repository(context_course::instance((int)$args[1]))->print_search()];
        break;

    case 'pick':
        [$username, $courseid, $source, $name] = $args;
        $user = sandyq_user($username);
        \core\session\manager::set_user($user);
        $course = get_course($courseid);
        $coursecontext = context_course::instance($course->id);
        require_capability('repository/sandyq:view', $coursecontext);
        $repository = sandyq_repository($coursecontext);
        // What the file picker does: fetch into a temporary file, then into the draft area.
        $fetched = $repository->get_file($source, 'package.zip');
        $draftitemid = file_get_unused_draft_itemid();
        $record = (object)[
            'contextid' => context_user::instance($user->id)->id,
            'component' => 'user',
            'filearea' => 'draft',
            'itemid' => $draftitemid,
            'filepath' => '/',
            'filename' => clean_filename($name) . '.zip',
        ];
        get_file_storage()->create_file_from_pathname($record, $fetched['path']);
        @unlink($fetched['path']);
        [, , , , $data] = prepare_new_moduleinfo_data($course, 'scorm', 0);
        $data->name = $name;
        $data->introeditor = ['text' => '', 'format' => FORMAT_HTML, 'itemid' => file_get_unused_draft_itemid()];
        $data->scormtype = SCORM_TYPE_LOCAL;
        $data->packagefile = $draftitemid;
        $data->maxgrade = 100;
        $data->grademethod = GRADEHIGHEST;
        $data->whatgrade = HIGHESTATTEMPT;
        $data->maxattempt = 0;
        $data->width = 100;
        $data->height = 500;
        $data->visible = 1;
        $data->cmidnumber = '';
        $moduleinfo = add_moduleinfo($data, $course);
        $scorm = $DB->get_record('scorm', ['id' => $moduleinfo->instance], '*', MUST_EXIST);
        $result = ['cmid' => (int)$moduleinfo->coursemodule, 'sha1hash' => $scorm->sha1hash,
            'version' => $scorm->version, 'launch' => (int)$scorm->launch];
        break;

    default:
        fwrite(STDERR, "unknown subcommand {$command}\n");
        exit(2);
}
echo json_encode($result, JSON_UNESCAPED_UNICODE) . "\n";
