<?php
// This file is part of Sandyq's test tools, not of any Moodle plugin.
//
// Sets up a test Moodle site the way docs/moodle-sync.md tells an administrator to:
// web services and REST on, the sync account with exactly the role given (capabilities
// from lms_sync/moodle_role.py), authorised on the local_sandyq_sync service, and a
// token for it. Also a teacher and two students for the tests, with mobile-service
// tokens (the service that offers mod_scorm_insert_scorm_tracks to learners).
//
// Usage: php site_setup.php MOODLE_DIR ROLE_JSON   prints one JSON line
//        php site_setup.php MOODLE_DIR --refresh   re-reads the plugins' web-service descriptions
//
// Idempotent: a second run resets the role to the list and reuses users and tokens.

define('CLI_SCRIPT', true);
require($argv[1] . '/config.php');
require_once($CFG->libdir . '/upgradelib.php');
require_once($CFG->dirroot . '/user/lib.php');
require_once($CFG->dirroot . '/webservice/lib.php');

if (($argv[2] ?? '') === '--refresh') {
    external_update_descriptions('local_sandyq');
    external_update_descriptions('repository_sandyq');
    purge_all_caches();
    echo "services refreshed\n";
    exit(0);
}

$role = json_decode($argv[2], true, 8, JSON_THROW_ON_ERROR);
$system = context_system::instance();
\core\session\manager::set_user(get_admin());

set_config('enablewebservices', 1);
set_config('enablemobilewebservice', 1);
set_config('webserviceprotocols', 'rest');

/**
 * A manual-auth user, made once.
 *
 * @param string $username
 * @param string $firstname
 * @param string $lastname
 * @return stdClass the user record
 */
function sandyq_test_user(string $username, string $firstname, string $lastname): stdClass {
    global $DB, $CFG;
    $user = $DB->get_record('user', ['username' => $username, 'mnethostid' => $CFG->mnet_localhost_id]);
    if (!$user) {
        $id = user_create_user((object)[
            'username' => $username,
            'password' => 'Sandyq-test-1',
            'firstname' => $firstname,
            'lastname' => $lastname,
            'email' => $username . '@example.org',
            'auth' => 'manual',
            'confirmed' => 1,
            'lang' => 'en',
            'mnethostid' => $CFG->mnet_localhost_id,
        ], true, false);
        $user = $DB->get_record('user', ['id' => $id], '*', MUST_EXIST);
    }
    return $user;
}

/**
 * A permanent token of a user for a service, made once.
 *
 * @param stdClass $service
 * @param stdClass $user
 * @return string the token
 */
function sandyq_test_token(stdClass $service, stdClass $user): string {
    global $DB;
    $existing = $DB->get_record('external_tokens',
        ['externalserviceid' => $service->id, 'userid' => $user->id, 'tokentype' => EXTERNAL_TOKEN_PERMANENT],
        '*', IGNORE_MULTIPLE);
    if ($existing) {
        return $existing->token;
    }
    return \core_external\util::generate_token(EXTERNAL_TOKEN_PERMANENT, $service, (int)$user->id, context_system::instance());
}

// The sync account and its role: exactly the capabilities given, at the system context.
$syncuser = sandyq_test_user('sandyqsync', 'Sandyq', 'Sync');
$roleid = $DB->get_field('role', 'id', ['shortname' => $role['shortname']]);
if (!$roleid) {
    $roleid = create_role('Sandyq sync', $role['shortname'], 'The Sandyq catalogue sync (docs/moodle-sync.md)');
}
set_role_contextlevels($roleid, [CONTEXT_SYSTEM, CONTEXT_COURSECAT]);
$wanted = array_flip($role['capabilities']);
foreach ($DB->get_records('role_capabilities', ['roleid' => $roleid, 'contextid' => $system->id]) as $granted) {
    if (!isset($wanted[$granted->capability])) {
        unassign_capability($granted->capability, $roleid, $system->id);
    }
}
foreach ($role['capabilities'] as $capability) {
    if (!get_capability_info($capability)) {
        fwrite(STDERR, "unknown capability {$capability}\n");
        exit(1);
    }
    assign_capability($capability, CAP_ALLOW, $roleid, $system->id, true);
}
if (!user_has_role_assignment($syncuser->id, $roleid, $system->id)) {
    role_assign($roleid, $syncuser->id, $system->id);
}

// The plugin's service: enabled, the sync account authorised, a token.
$service = $DB->get_record('external_services', ['shortname' => 'local_sandyq_sync'], '*', MUST_EXIST);
if (!$service->enabled) {
    $DB->set_field('external_services', 'enabled', 1, ['id' => $service->id]);
}
if (!$DB->record_exists('external_services_users', ['externalserviceid' => $service->id, 'userid' => $syncuser->id])) {
    $DB->insert_record('external_services_users', (object)[
        'externalserviceid' => $service->id,
        'userid' => $syncuser->id,
        'timecreated' => time(),
    ]);
}
$synctoken = sandyq_test_token($service, $syncuser);

// People for the tests: a teacher and two students, each with a mobile-service token.
$mobile = $DB->get_record('external_services', ['shortname' => MOODLE_OFFICIAL_MOBILE_SERVICE], '*', MUST_EXIST);
$DB->set_field('external_services', 'enabled', 1, ['id' => $mobile->id]);
// The app's protocol for them only (a site lets every user use REST when it enables mobile
// services; here that would also give it to the sync account and hide a missing capability).
$appuserid = $DB->get_field('role', 'id', ['shortname' => 'sandyqappuser']);
if (!$appuserid) {
    $appuserid = create_role('Sandyq test app user', 'sandyqappuser', 'Test people who use the Moodle app');
}
set_role_contextlevels($appuserid, [CONTEXT_SYSTEM]);
assign_capability('webservice/rest:use', CAP_ALLOW, $appuserid, $system->id, true);
$people = [];
foreach ([['teacher1', 'Айгүл', 'Мұғалім'], ['student1', 'Әлия', 'Оқушы'], ['student2', 'Нұрлан', 'Оқушы']] as [$name, $first, $last]) {
    $user = sandyq_test_user($name, $first, $last);
    if (!user_has_role_assignment($user->id, $appuserid, $system->id)) {
        role_assign($appuserid, $user->id, $system->id);
    }
    $people[$name] = ['id' => (int)$user->id, 'username' => $name, 'password' => 'Sandyq-test-1',
        'token' => sandyq_test_token($mobile, $user)];
}

echo json_encode([
    'sync' => ['id' => (int)$syncuser->id, 'username' => 'sandyqsync', 'token' => $synctoken,
        'roleid' => (int)$roleid, 'role' => $role['shortname']],
    'serviceid' => (int)$service->id,
    'users' => $people,
    'release' => $CFG->release,
    'version' => (string)$CFG->version,
], JSON_UNESCAPED_UNICODE) . "\n";
