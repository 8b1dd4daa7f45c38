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
 * Strings for component repository_sandyq, language 'ru' (Russian).
 *
 * @package     repository_sandyq
 * @category    string
 * @copyright   2026 Sandyq contributors
 * @license     https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

$string['anygrade'] = 'Любой класс';
$string['anysubject'] = 'Любой предмет';
$string['catalogueurl'] = 'Адрес каталога';
$string['catalogueurl_desc'] = 'Адрес каталога Sandyq, например https://catalogue.example.kz';
$string['configplugin'] = 'Настройки каталога Sandyq';
$string['errordownload'] = 'Не удалось скачать пакет: {$a}';
$string['errorforeignurl'] = 'Этот файл получен не из настроенного каталога.';
$string['errornotconfigured'] = 'Каталог Sandyq не настроен. Попросите администратора Moodle указать его адрес.';
$string['errorsearch'] = 'Не удалось выполнить поиск в каталоге: {$a}';
$string['errorunsafepackage'] = 'Пакет отклонён: это небезопасный zip-архив ({$a}).';
$string['grade'] = 'Класс';
$string['gradenumber'] = '{$a} класс';
$string['gradepreschool'] = 'Класс предшкольной подготовки';
$string['invalidurl'] = 'Введите полный адрес, начинающийся с http:// или https://.';
$string['pluginname'] = 'Каталог Sandyq';
$string['privacy:metadata'] = 'Репозиторий каталога Sandyq не хранит персональных данных. Слова поиска и фильтры передаются в каталог без сведений о пользователе.';
$string['sandyq:view'] = 'Использовать каталог Sandyq в окне выбора файлов';
$string['scormversion'] = 'SCORM {$a}';
$string['search'] = 'Поиск в каталоге';
$string['subject'] = 'Предмет';
$string['subject_algebra'] = 'Алгебра';
$string['subject_biology'] = 'Биология';
$string['subject_chemistry'] = 'Химия';
$string['subject_english'] = 'Английский язык';
$string['subject_geography'] = 'География';
$string['subject_geometry'] = 'Геометрия';
$string['subject_history_kz'] = 'История Казахстана';
$string['subject_informatics'] = 'Информатика';
$string['subject_kazakh'] = 'Казахский язык';
$string['subject_kazakh_literature'] = 'Казахская литература';
$string['subject_mathematics'] = 'Математика';
$string['subject_natural_science'] = 'Естествознание';
$string['subject_physics'] = 'Физика';
$string['subject_robotics'] = 'Робототехника';
$string['subject_russian'] = 'Русский язык';
$string['subject_world_history'] = 'Всемирная история';
$string['token'] = 'Токен доступа';
$string['token_desc'] = 'Токен, выданный каталогом. Он передаётся только при скачивании пакета и никогда не отправляется на другие адреса.';
