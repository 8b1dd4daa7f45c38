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
 * Strings for component local_sandyq, language 'ru' (Russian).
 *
 * @package     local_sandyq
 * @category    string
 * @copyright   2026 Sandyq contributors
 * @license     https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

$string['idnumbertaken'] = 'Идентификатор «{$a}» уже используется в этом курсе';
$string['invalidpackage'] = 'Недопустимый пакет SCORM [{$a->reason}]: {$a->detail}';
$string['notlocalpackage'] = 'Этот элемент SCORM не использует загруженный пакет, поэтому его пакет нельзя заменить';
$string['notsynced'] = 'Элемент курса {$a} создан не синхронизацией Sandyq, поэтому заменить его пакет этим способом нельзя';
$string['pluginname'] = 'Sandyq: синхронизация с каталогом';
$string['privacy:metadata'] = 'Плагин синхронизации Sandyq не хранит персональных данных: он лишь учитывает созданные им элементы SCORM.';
$string['reason_bad_crc'] = 'файл в zip-архиве повреждён: CRC-32 не совпадает или его не удаётся распаковать ({$a})';
$string['reason_doctype'] = 'в imsmanifest.xml нельзя объявлять DOCTYPE или сущности';
$string['reason_draft_area'] = 'в области черновиков должен быть ровно один файл .zip ({$a})';
$string['reason_duplicate_identifier'] = 'у двух элементов манифеста одинаковый identifier ({$a})';
$string['reason_entry_too_large'] = 'файл в zip-архиве слишком большой после распаковки ({$a})';
$string['reason_malformed_xml'] = 'imsmanifest.xml не является корректным XML ({$a})';
$string['reason_manifest_too_large'] = 'файл imsmanifest.xml слишком большой ({$a})';
$string['reason_missing_identifier'] = 'у элемента манифеста нет атрибута identifier ({$a})';
$string['reason_missing_resource'] = 'элемент ссылается на ресурс, которого нет в манифесте ({$a})';
$string['reason_moodle_refused'] = 'Moodle не смог прочитать пакет ({$a})';
$string['reason_nested_manifest'] = 'файл imsmanifest.xml должен лежать в корне zip-архива, а не в папке ({$a})';
$string['reason_no_manifest'] = 'отсутствует файл imsmanifest.xml';
$string['reason_not_manifest'] = 'корневым элементом imsmanifest.xml должен быть <manifest> ({$a})';
$string['reason_not_zip'] = 'файл не является zip-архивом ({$a})';
$string['reason_nothing_to_launch'] = 'в пакете нечего запускать';
$string['reason_schemaversion_missing'] = 'в манифесте не указана версия SCORM (metadata/schemaversion)';
$string['reason_schemaversion_unknown'] = 'Moodle не поддерживает эту версию SCORM ({$a})';
$string['reason_size_mismatch'] = 'файл в zip-архиве распаковывается в другой размер, чем указан, как это делают zip-бомбы ({$a})';
$string['reason_too_large'] = 'пакет слишком большой после распаковки ({$a})';
$string['reason_unsafe_path'] = 'имя файла в zip-архиве указывает за пределы пакета ({$a})';
$string['sandyq:sync'] = 'Синхронизировать пакеты каталога с курсом';
