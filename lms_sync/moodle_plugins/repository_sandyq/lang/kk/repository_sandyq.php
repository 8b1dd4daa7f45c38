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
 * Strings for component repository_sandyq, language 'kk' (Kazakh).
 *
 * @package     repository_sandyq
 * @category    string
 * @copyright   2026 Sandyq contributors
 * @license     https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

$string['anygrade'] = 'Кез келген сынып';
$string['anysubject'] = 'Кез келген пән';
$string['catalogueurl'] = 'Каталог мекенжайы';
$string['catalogueurl_desc'] = 'Sandyq каталогының мекенжайы, мысалы https://catalogue.example.kz';
$string['configplugin'] = 'Sandyq каталогының баптаулары';
$string['errordownload'] = 'Пакетті жүктеп алу мүмкін болмады: {$a}';
$string['errorforeignurl'] = 'Бұл файл бапталған каталогтан алынбаған.';
$string['errornotconfigured'] = 'Sandyq каталогы бапталмаған. Moodle әкімшісінен каталог мекенжайын көрсетуді сұраңыз.';
$string['errorsearch'] = 'Каталогтан іздеу мүмкін болмады: {$a}';
$string['errorunsafepackage'] = 'Пакет қабылданбады: ол қауіпсіз zip мұрағаты емес ({$a}).';
$string['grade'] = 'Сынып';
$string['gradenumber'] = '{$a}-сынып';
$string['gradepreschool'] = 'Мектепалды даярлық сыныбы';
$string['invalidurl'] = 'Толық http:// немесе https:// мекенжайын енгізіңіз.';
$string['pluginname'] = 'Sandyq каталогы';
$string['privacy:metadata'] = 'Sandyq каталогы репозиторийі жеке деректерді сақтамайды. Іздеу сөздері мен сүзгілер каталогқа пайдаланушының кім екенін көрсетпей жіберіледі.';
$string['sandyq:view'] = 'Файл таңдау терезесінде Sandyq каталогын пайдалану';
$string['scormversion'] = 'SCORM {$a}';
$string['search'] = 'Каталогтан іздеу';
$string['subject'] = 'Пән';
$string['subject_algebra'] = 'Алгебра';
$string['subject_biology'] = 'Биология';
$string['subject_chemistry'] = 'Химия';
$string['subject_english'] = 'Ағылшын тілі';
$string['subject_geography'] = 'География';
$string['subject_geometry'] = 'Геометрия';
$string['subject_history_kz'] = 'Қазақстан тарихы';
$string['subject_informatics'] = 'Информатика';
$string['subject_kazakh'] = 'Қазақ тілі';
$string['subject_kazakh_literature'] = 'Қазақ әдебиеті';
$string['subject_mathematics'] = 'Математика';
$string['subject_natural_science'] = 'Жаратылыстану';
$string['subject_physics'] = 'Физика';
$string['subject_robotics'] = 'Робототехника';
$string['subject_russian'] = 'Орыс тілі';
$string['subject_world_history'] = 'Дүниежүзі тарихы';
$string['token'] = 'Қол жеткізу токені';
$string['token_desc'] = 'Каталог берген токен. Ол тек пакетті жүктеп алғанда жіберіледі, басқа мекенжайларға ешқашан жіберілмейді.';
