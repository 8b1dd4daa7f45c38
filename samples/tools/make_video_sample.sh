#!/usr/bin/env bash
# Regenerates the sample video lecture of samples/physics-7-course:
#   newton-lecture.mp4   40 s, 854x480, H.264 Main / AAC mono / faststart, under 2 MB:
#                        three slides on Newton's second law with Kazakh titles, a box
#                        that accelerates, and a short tone at each slide change;
#   newton-lecture.kk.srt  Kazakh captions (SubRip);
#   newton-lecture.ru.vtt  Russian captions (WebVTT).
# The outputs are committed; run this only to change them. It uses the ffmpeg that
# imageio-ffmpeg ships (or $FFMPEG) and DejaVu Sans for the Kazakh letters (no text
# without it).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
out="$repo/samples/physics-7-course"
python="$repo/.venv/bin/python"
[ -x "$python" ] || python="python3"
ffmpeg="${FFMPEG:-$("$python" -c 'import imageio_ffmpeg; print(imageio_ffmpeg.get_ffmpeg_exe())')}"
font="${FONT:-/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf}"
bold="${FONT_BOLD:-/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf}"
[ -f "$bold" ] || bold="$font"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# One text file per line of slide text: drawtext reads them as they are (no escaping).
write() { printf '%s' "$2" > "$work/$1.txt"; }
write t1 "Ньютонның екінші заңы"
write s1 "7-сынып, физика · күш, масса және үдеу"
write t2 "F = m · a"
write s2 "Күш = масса × үдеу"
write b2 "арба"
write t3 "Мысал"
write s3 "m = 2 кг,   F = 6 Н"
write u3 "a = F / m = 6 Н / 2 кг = 3 м/с²"

text() { # file, font, size, colour, y, start, end
  printf "drawtext=fontfile='%s':textfile='%s':fontsize=%s:fontcolor=%s:x=(w-text_w)/2:y=%s:enable='between(t,%s,%s)'" \
    "$2" "$work/$1.txt" "$3" "$4" "$5" "$6" "$7"
}

if [ -f "$font" ]; then
  titles="$(text t1 "$bold" 44 white 150 0 15),$(text s1 "$font" 26 0xd8e6f5 230 0 15)"
  titles="$titles,$(text t2 "$bold" 60 white 70 15 30),$(text s2 "$font" 30 0xd8e6f5 160 15 30)"
  titles="$titles,$(text t3 "$bold" 48 white 110 30 40),$(text s3 "$font" 32 white 200 30 40)"
  titles="$titles,$(text u3 "$font" 32 0xffe08a 260 30 40)"
  cart_label=",drawtext=fontfile='$font':textfile='$work/b2.txt':fontsize=18:fontcolor=black:x=8:y=22"
else
  echo "note: $font not found; the slides get no text" >&2
  titles="null"
  cart_label=""
fi

# Slides: a dark blue background; from 15 s to 30 s an orange "cart" speeds up
# (x grows with t squared: constant acceleration).
filter="[0:v]${titles}[slides];"
filter+="color=c=0xf59e0b:s=64x64:r=25:d=40${cart_label}[cart];"
filter+="[slides][cart]overlay=x='40+3*(t-15)*(t-15)':y=330:enable='between(t,15,30)':eval=frame,format=yuv420p[v]"

"$ffmpeg" -hide_banner -loglevel error -nostdin -y \
  -f lavfi -i "color=c=0x0b3d6b:s=854x480:r=25:d=40" \
  -f lavfi -i "aevalsrc='0.25*sin(2*PI*660*t)*lt(mod(t,15),0.25)':s=44100:d=40" \
  -filter_complex "$filter" -map "[v]" -map 1:a \
  -c:v libx264 -profile:v main -pix_fmt yuv420p -preset medium -crf 25 \
  -maxrate 600k -bufsize 1200k -g 125 \
  -c:a aac -b:a 64k -ac 1 \
  -map_metadata -1 -fflags +bitexact -flags:v +bitexact -flags:a +bitexact \
  -movflags +faststart "$work/newton-lecture.mp4"
mv "$work/newton-lecture.mp4" "$out/newton-lecture.mp4"

cat > "$out/newton-lecture.kk.srt" <<'SRT'
1
00:00:01,000 --> 00:00:05,000
Сәлеметсіздер ме! Бүгін Ньютонның екінші заңымен танысамыз.

2
00:00:05,500 --> 00:00:10,500
Денеге күш әсер етсе, ол үдеумен қозғалады.

3
00:00:11,000 --> 00:00:14,500
Үдеу күшке тура пропорционал, ал массаға кері пропорционал.

4
00:00:15,500 --> 00:00:21,000
Заңның формуласы: F = m · a.
Мұндағы F — күш, m — масса, a — үдеу.

5
00:00:21,500 --> 00:00:29,000
Күш ньютонмен (Н), масса килограммен (кг),
ал үдеу метр бөлу секунд квадратпен (м/с²) өлшенеді.

6
00:00:30,500 --> 00:00:36,000
Мысал: массасы 2 кг арбаға 6 Н күш әсер етсе,
оның үдеуі 3 м/с² болады.

7
00:00:36,500 --> 00:00:39,500
Енді тест тапсырмаларын орындап көрейік.
SRT

cat > "$out/newton-lecture.ru.vtt" <<'VTT'
WEBVTT
Language: ru

00:00:01.000 --> 00:00:05.000
Здравствуйте! Сегодня мы познакомимся со вторым законом Ньютона.

00:00:05.500 --> 00:00:10.500
Если на тело действует сила, оно движется с ускорением.

00:00:11.000 --> 00:00:14.500
Ускорение прямо пропорционально силе и обратно пропорционально массе.

00:00:15.500 --> 00:00:21.000
Формула закона: F = m · a.
Здесь F — сила, m — масса, a — ускорение.

00:00:21.500 --> 00:00:29.000
Сила измеряется в ньютонах (Н), масса — в килограммах (кг),
а ускорение — в метрах на секунду в квадрате (м/с²).

00:00:30.500 --> 00:00:36.000
Пример: если на тележку массой 2 кг действует сила 6 Н,
её ускорение равно 3 м/с².

00:00:36.500 --> 00:00:39.500
Теперь попробуем выполнить тестовые задания.
VTT

size=$(stat -c %s "$out/newton-lecture.mp4")
echo "newton-lecture.mp4: $size bytes"
[ "$size" -le $((2 * 1024 * 1024)) ] || { echo "the sample is over 2 MB" >&2; exit 1; }
