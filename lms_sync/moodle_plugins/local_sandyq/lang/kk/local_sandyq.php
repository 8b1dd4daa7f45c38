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
 * Strings for component local_sandyq, language 'kk' (Kazakh).
 *
 * @package     local_sandyq
 * @category    string
 * @copyright   2026 Sandyq contributors
 * @license     https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

$string['idnumbertaken'] = '«{$a}» ID нөмірі бұл курста бұрыннан қолданылып тұр';
$string['invalidpackage'] = 'SCORM пакеті жарамсыз [{$a->reason}]: {$a->detail}';
$string['notlocalpackage'] = 'Бұл SCORM элементі жүктелген пакетті пайдаланбайды, сондықтан оның пакетін ауыстыруға болмайды';
$string['notsynced'] = '{$a} курс элементін Sandyq синхрондауы жасамаған, сондықтан оның пакетін осы жолмен ауыстыруға болмайды';
$string['pluginname'] = 'Sandyq: каталогпен синхрондау';
$string['privacy:metadata'] = 'Sandyq синхрондау плагині жеке деректерді сақтамайды: ол тек өзі жасаған SCORM элементтерін есепке алады.';
$string['reason_bad_crc'] = 'zip ішіндегі файл бүлінген: CRC-32 сәйкес келмейді немесе оны ашу мүмкін емес ({$a})';
$string['reason_doctype'] = 'imsmanifest.xml ішінде DOCTYPE немесе entity жариялауға болмайды';
$string['reason_draft_area'] = 'уақытша файлдар аймағында дәл бір .zip файлы болуы керек ({$a})';
$string['reason_duplicate_identifier'] = 'манифесттегі екі элементтің identifier мәні бірдей ({$a})';
$string['reason_entry_too_large'] = 'zip ішіндегі файл ашылғанда тым үлкен ({$a})';
$string['reason_malformed_xml'] = 'imsmanifest.xml дұрыс құрылған XML емес ({$a})';
$string['reason_manifest_too_large'] = 'imsmanifest.xml тым үлкен ({$a})';
$string['reason_missing_identifier'] = 'манифест элементінде identifier атрибуты жоқ ({$a})';
$string['reason_missing_resource'] = 'элемент манифестте анықталмаған ресурсқа сілтеме жасайды ({$a})';
$string['reason_moodle_refused'] = 'Moodle пакетті оқи алмады ({$a})';
$string['reason_nested_manifest'] = 'imsmanifest.xml қалтада емес, zip мұрағатының түбірінде болуы керек ({$a})';
$string['reason_no_manifest'] = 'imsmanifest.xml файлы жоқ';
$string['reason_not_manifest'] = 'imsmanifest.xml түбір элементі <manifest> болуы керек ({$a})';
$string['reason_not_zip'] = 'файл zip мұрағаты емес ({$a})';
$string['reason_nothing_to_launch'] = 'пакетте іске қосатын ештеңе жоқ';
$string['reason_schemaversion_missing'] = 'манифестте SCORM нұсқасы көрсетілмеген (metadata/schemaversion)';
$string['reason_schemaversion_unknown'] = 'Moodle бұл SCORM нұсқасын қолдамайды ({$a})';
$string['reason_size_mismatch'] = 'zip ішіндегі файл ашылғанда көрсетілген өлшемнен басқа өлшемде шығады, zip-бомбалар осылай істейді ({$a})';
$string['reason_too_large'] = 'пакет ашылғанда тым үлкен ({$a})';
$string['reason_unsafe_path'] = 'zip ішіндегі файл атауы пакеттен тыс жерді көрсетеді ({$a})';
$string['sandyq:sync'] = 'Каталог пакеттерін курсқа синхрондау';
