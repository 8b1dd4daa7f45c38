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
 * The Sandyq catalogue as a file-picker repository.
 *
 * @package     repository_sandyq
 * @copyright   2026 Sandyq contributors
 * @license     https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

defined('MOODLE_INTERNAL') || die();

require_once($CFG->dirroot . '/repository/lib.php');
require_once($CFG->libdir . '/filelib.php');

/**
 * Lets teachers search the catalogue's published resources and pick a SCORM package.
 *
 * Searching uses the catalogue's public search (GET {catalogue}/api/v1/resources); picking a
 * package downloads {download_url} with the site's token as a Bearer token. The token is only
 * ever sent to the configured catalogue: a source outside it is refused before any request.
 *
 * @package     repository_sandyq
 * @copyright   2026 Sandyq contributors
 * @license     https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class repository_sandyq extends repository {

    /** Results per page asked from the catalogue (it answers at most 100). */
    const PER_PAGE = 30;

    /** The catalogue stops paging at this offset. */
    const MAX_OFFSET = 10000;

    /** Search filters school subjects by these codes (scorm_builder/vocabulary.py's SUBJECTS). */
    const SUBJECTS = [
        'physics', 'chemistry', 'biology', 'mathematics', 'english', 'algebra', 'geometry', 'informatics',
        'kazakh', 'kazakh_literature', 'russian', 'history_kz', 'world_history', 'geography', 'robotics',
        'natural_science',
    ];

    /** The grades a search may ask for (scorm_builder/vocabulary.py's GRADES): 0 is the pre-school class. */
    const FIRST_GRADE = 0;

    /** The last grade a search may ask for. */
    const LAST_GRADE = 12;

    /**
     * Names of the settings the administrator gives the repository type.
     *
     * @return string[]
     */
    public static function get_type_option_names() {
        return ['catalogueurl', 'token', 'pluginname'];
    }

    /**
     * Adds the catalogue address and token to the repository type's settings form.
     *
     * @param moodleform $mform the form
     * @param string $classname the repository class
     * @return void
     */
    public static function type_config_form($mform, $classname = 'repository') {
        parent::type_config_form($mform, $classname);

        $mform->addElement('text', 'catalogueurl', get_string('catalogueurl', 'repository_sandyq'), ['size' => 60]);
        $mform->setType('catalogueurl', PARAM_URL);
        $mform->addRule('catalogueurl', get_string('required'), 'required', null, 'client');
        $mform->addElement('static', 'catalogueurl_desc', '', get_string('catalogueurl_desc', 'repository_sandyq'));

        $mform->addElement('passwordunmask', 'token', get_string('token', 'repository_sandyq'), ['size' => 60]);
        $mform->setType('token', PARAM_RAW_TRIMMED);
        $mform->addElement('static', 'token_desc', '', get_string('token_desc', 'repository_sandyq'));
    }

    /**
     * Checks the catalogue address.
     *
     * @param moodleform $mform the form
     * @param array $data the submitted data
     * @param array $errors errors found so far
     * @return array the errors
     */
    public static function type_form_validation($mform, $data, $errors) {
        $url = trim($data['catalogueurl'] ?? '');
        $parts = parse_url($url);
        if (!$parts || empty($parts['host']) || !in_array(strtolower($parts['scheme'] ?? ''), ['http', 'https'], true)) {
            $errors['catalogueurl'] = get_string('invalidurl', 'repository_sandyq');
        }
        return $errors;
    }

    /**
     * A setting of the repository type.
     *
     * @param string $name catalogueurl or token
     * @return string the value, '' when unset
     */
    protected function setting(string $name): string {
        $value = get_config('sandyq', $name);
        return $value === false || $value === null ? '' : trim((string)$value);
    }

    /**
     * The catalogue's base address, without a trailing slash.
     *
     * @return string
     * @throws moodle_exception errornotconfigured when unset
     */
    protected function catalogue_base(): string {
        $base = rtrim($this->setting('catalogueurl'), '/');
        if ($base === '') {
            throw new moodle_exception('errornotconfigured', 'repository_sandyq');
        }
        return $base;
    }

    /**
     * No login: the catalogue's search is public and downloads use the site's token.
     *
     * @return bool
     */
    public function check_login() {
        return true;
    }

    /**
     * The catalogue is not part of the file picker's search across repositories.
     *
     * @return bool
     */
    public function global_search() {
        return false;
    }

    /**
     * Only packages.
     *
     * @return array
     */
    public function supported_filetypes() {
        return ['.zip'];
    }

    /**
     * Picked packages are copied into Moodle.
     *
     * @return int
     */
    public function supported_returntypes() {
        return FILE_INTERNAL;
    }

    /**
     * The first view: the newest published resources.
     *
     * @param string $path unused, the catalogue has no folders
     * @param string $page page number, from 1
     * @return array the listing
     */
    public function get_listing($path = '', $page = '') {
        return $this->query('', '', null, (int)$page);
    }

    /**
     * The search form: words, subject and grade.
     *
     * @return string HTML
     */
    public function print_search() {
        $subjects = [];
        foreach (self::SUBJECTS as $code) {
            $subjects[$code] = get_string('subject_' . $code, 'repository_sandyq');
        }
        $grades = [];
        for ($grade = self::FIRST_GRADE; $grade <= self::LAST_GRADE; $grade++) {
            $grades[$grade] = self::grade_name($grade);
        }
        $id = 'repository_sandyq_' . $this->id;
        $html = html_writer::label(get_string('search', 'repository_sandyq'), $id . '_s');
        $html .= html_writer::empty_tag('input', [
            'type' => 'text', 'name' => 's', 'id' => $id . '_s', 'class' => 'form-control', 'maxlength' => 200,
        ]);
        $html .= html_writer::label(get_string('subject', 'repository_sandyq'), $id . '_subject');
        $html .= html_writer::select($subjects, 'sandyq_subject', '',
            ['' => get_string('anysubject', 'repository_sandyq')], ['id' => $id . '_subject']);
        $html .= html_writer::label(get_string('grade', 'repository_sandyq'), $id . '_grade');
        $html .= html_writer::select($grades, 'sandyq_grade', '',
            ['' => get_string('anygrade', 'repository_sandyq')], ['id' => $id . '_grade']);
        return html_writer::div($html, 'repository_sandyq_search');
    }

    /**
     * Searches the catalogue.
     *
     * Later pages of the same search arrive without the filters; they are kept in the session.
     *
     * @param string $searchtext the words
     * @param int $page page number, from 1
     * @return array the listing
     */
    public function search($searchtext, $page = 0) {
        global $SESSION;
        $key = 'repository_sandyq_' . $this->id;
        $subject = optional_param('sandyq_subject', null, PARAM_ALPHANUMEXT);
        // Not PARAM_INT: that turns the form's '' (any grade) into 0, the pre-school class.
        $grade = optional_param('sandyq_grade', null, PARAM_RAW);
        if ((int)$page <= 1 || $subject !== null || $grade !== null) {
            $SESSION->$key = ['subject' => (string)$subject, 'grade' => self::grade_param($grade)];
        }
        $filters = $SESSION->$key ?? ['subject' => '', 'grade' => null];
        $listing = $this->query((string)$searchtext, $filters['subject'], $filters['grade'], (int)$page);
        $listing['issearchresult'] = true;
        return $listing;
    }

    /**
     * Asks the catalogue and turns its answer into a file-picker listing.
     *
     * @param string $words the words, '' for the newest resources
     * @param string $subject a subject code, '' for any
     * @param int|null $grade a grade, null for any
     * @param int $page page number, from 1
     * @return array the listing
     */
    protected function query(string $words, string $subject, ?int $grade, int $page): array {
        $page = max(1, $page);
        $params = ['page' => $page, 'per_page' => self::PER_PAGE];
        if (trim($words) !== '') {
            $params['q'] = core_text::substr(trim($words), 0, 200);
        }
        if (in_array($subject, self::SUBJECTS, true)) {
            $params['subject'] = $subject;
        }
        if ($grade !== null && $grade >= self::FIRST_GRADE && $grade <= self::LAST_GRADE) {
            $params['grade'] = $grade;
        }
        $url = $this->catalogue_base() . '/api/v1/resources?' . http_build_query($params, '', '&');

        $curl = new curl(['cache' => false]);
        $curl->setHeader(['Accept: application/json']);
        $body = $curl->get($url);
        $info = $curl->get_info();
        $status = (int)($info['http_code'] ?? 0);
        if ($curl->get_errno() || $status !== 200) {
            $reason = $curl->get_errno() ? $curl->error : 'HTTP ' . $status;
            throw new moodle_exception('errorsearch', 'repository_sandyq', '', $reason);
        }
        $answer = json_decode((string)$body, true);
        if (!is_array($answer) || !isset($answer['items']) || !is_array($answer['items'])) {
            throw new moodle_exception('errorsearch', 'repository_sandyq', '', 'unexpected answer');
        }

        $list = [];
        foreach ($answer['items'] as $item) {
            if (!is_array($item) || empty($item['download_url']) || !isset($item['title'])) {
                continue;
            }
            $list[] = $this->listing_entry($item);
        }
        $total = (int)($answer['total'] ?? count($list));
        $pages = (int)ceil(min($total, self::MAX_OFFSET) / self::PER_PAGE);
        return [
            'list' => $list,
            'page' => $page,
            'pages' => $pages,
            'total' => $total,
            'nologin' => true,
            'norefresh' => false,
            'nosearch' => false,
        ];
    }

    /**
     * A grade's name: "7-сынып", "7 класс", "Grade 7"; grade 0 is the pre-school class.
     *
     * @param int $grade the grade
     * @return string its name in the user's language
     */
    protected static function grade_name(int $grade): string {
        if ($grade === 0) {
            return get_string('gradepreschool', 'repository_sandyq');
        }
        return get_string('gradenumber', 'repository_sandyq', $grade);
    }

    /**
     * The grade a search form asks for: null for any grade (the form's '') or a value that is no grade.
     *
     * @param mixed $value the submitted value, or a filter kept in the session
     * @return int|null the grade
     */
    protected static function grade_param($value): ?int {
        if (is_int($value)) {
            $value = (string)$value;
        }
        if (!is_string($value) || !preg_match('/^\d{1,2}$/', $value)) {
            return null;
        }
        $grade = (int)$value;
        return $grade >= self::FIRST_GRADE && $grade <= self::LAST_GRADE ? $grade : null;
    }

    /**
     * One file-picker entry for a catalogue resource (no thumbnail).
     *
     * @param array $item a search hit
     * @return array the entry
     */
    protected function listing_entry(array $item): array {
        $title = trim((string)$item['title']);
        $filename = clean_filename($title);
        if ($filename === '' || $filename === '_') {
            $filename = clean_filename((string)($item['uuid'] ?? 'package'));
        }
        $details = [];
        if (!empty($item['scorm_version'])) {
            $details[] = get_string('scormversion', 'repository_sandyq', s($item['scorm_version']));
        }
        if (!empty($item['subject']) && in_array($item['subject'], self::SUBJECTS, true)) {
            $details[] = get_string('subject_' . $item['subject'], 'repository_sandyq');
        }
        if (!empty($item['grades']) && is_array($item['grades'])) {
            $details[] = implode(', ', array_map(function($grade) {
                return self::grade_name((int)$grade);
            }, $item['grades']));
        }
        $entry = [
            'title' => $filename . '.zip',
            'shorttitle' => $title . ($details ? ' (' . implode('; ', $details) . ')' : ''),
            'source' => (string)$item['download_url'],
            'size' => (int)($item['size'] ?? 0),
        ];
        if (!empty($item['published_at'])) {
            $published = strtotime((string)$item['published_at']);
            if ($published) {
                $entry['date'] = $published;
                $entry['datecreated'] = $published;
            }
        }
        return $entry;
    }

    /**
     * Refuses a source outside the configured catalogue, so the token never leaves it.
     *
     * @param string $url the download address
     * @return void
     * @throws moodle_exception errorforeignurl
     */
    protected function require_catalogue_url(string $url): void {
        $base = parse_url($this->catalogue_base());
        $target = parse_url($url);
        $defaultport = function(array $parts): int {
            if (!empty($parts['port'])) {
                return (int)$parts['port'];
            }
            return strtolower($parts['scheme'] ?? '') === 'https' ? 443 : 80;
        };
        $basepath = rtrim($base['path'] ?? '', '/') . '/api/v1/resources/';
        $same = $base && $target
            && strtolower($target['scheme'] ?? '') === strtolower($base['scheme'] ?? '')
            && strtolower($target['host'] ?? '') === strtolower($base['host'] ?? '')
            && $defaultport($target) === $defaultport($base)
            && empty($target['user']) && empty($target['pass'])
            && strpos($target['path'] ?? '', $basepath) === 0
            && strpos($target['path'] ?? '', '/../') === false;
        if (!$same) {
            throw new moodle_exception('errorforeignurl', 'repository_sandyq');
        }
    }

    /**
     * Downloads a package to a temporary file, with the site's token.
     *
     * @param string $url the package's download_url (the listing's source)
     * @param string $filename the file name to use
     * @return array path and url
     */
    public function get_file($url, $filename = '') {
        global $CFG;
        $this->require_catalogue_url($url);
        $path = $this->prepare_file($filename);

        $curl = new curl(['cache' => false]);
        $token = $this->setting('token');
        if ($token !== '') {
            $curl->setHeader(['Authorization: Bearer ' . $token]);
        }
        $result = $curl->download_one($url, null, [
            'filepath' => $path,
            'timeout' => $CFG->repositorygetfiletimeout,
            'CURLOPT_FOLLOWLOCATION' => 0,
        ]);
        $info = $curl->get_info();
        $status = (int)($info['http_code'] ?? 0);
        if ($result !== true || $status !== 200) {
            @unlink($path);
            $reason = $result !== true ? (string)$result : 'HTTP ' . $status;
            throw new moodle_exception('errordownload', 'repository_sandyq', '', $reason);
        }
        // Every entry read once, its real bytes counted and its CRC checked, before the file
        // picker hands the package to mod_scorm (which would inflate a lying bomb in full).
        $problem = \repository_sandyq\local\download_check::problem($path);
        if ($problem !== null) {
            @unlink($path);
            throw new moodle_exception('errorunsafepackage', 'repository_sandyq', '', $problem);
        }
        return ['path' => $path, 'url' => $url];
    }
}
