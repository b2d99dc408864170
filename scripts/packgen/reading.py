"""Spec of org.communityhub.reading: letters and sounds, syllables to say aloud, two stories."""
from __future__ import annotations

from .build import L
from .media import espeak_available, silence, speak, wav_duration, write_wav
from .reading_exercises import LANGS, LETTERS, SANDAL, SEEDS
from .svg import svg_doc

# What the recording says, slowly, with a pause after each item for the child to repeat.
SYLLABLES = {
    "en": ["ma", "sa", "ta", "mat", "sat", "map"],
    "fr": ["ma", "mé", "mi", "mo", "mu", "papa"],
    "es": ["ma", "me", "mi", "mo", "mu", "mamá"],
    "ar": ["بَ", "بُ", "بِ", "مَ", "مُ", "مِ", "بابْ"],
}


def make_syllables(lang, path, media):
    """Spoken syllables (espeak-ng), each followed by a pause; keeps the old file without espeak."""
    if media and espeak_available():
        samples = silence(0.3)
        for item in SYLLABLES[lang]:
            samples += speak(item, lang, speed=100) + silence(0.6)
        return write_wav(path, samples)
    return wav_duration(path)


PICTURE_TITLE = L(en="Amal waters the seeds", fr="Amal arrose les graines", es="Amal riega las semillas",
                  ar="أمل تسقي البذور")


def make_picture(lang, path, media):
    """A small scene from the story: a cloud, rain, a child with a watering can, shoots."""
    body = (
        '<rect width="320" height="240" fill="#e0f2fe"/>\n'
        '<rect y="180" width="320" height="60" fill="#a16207"/>\n'
        '<ellipse cx="230" cy="45" rx="60" ry="25" fill="#64748b"/>\n'
        '<ellipse cx="195" cy="55" rx="35" ry="20" fill="#64748b"/>\n'
        + "".join(f'<line x1="{x}" y1="80" x2="{x - 6}" y2="100" stroke="#2563eb" stroke-width="3" '
                  f'stroke-linecap="round"/>\n' for x in (190, 215, 240, 265))
        + '<circle cx="80" cy="95" r="18" fill="#7c2d12"/>\n'
        '<rect x="64" y="113" width="32" height="50" rx="10" fill="#db2777"/>\n'
        '<rect x="66" y="160" width="10" height="22" fill="#7c2d12"/>\n'
        '<rect x="84" y="160" width="10" height="22" fill="#7c2d12"/>\n'
        '<rect x="100" y="128" width="28" height="22" rx="4" fill="#94a3b8"/>\n'
        '<line x1="126" y1="134" x2="146" y2="124" stroke="#94a3b8" stroke-width="5"/>\n'
        + "".join(f'<path d="M{x} 180 q-8 -18 -14 -16 M{x} 180 q6 -20 14 -18" stroke="#16a34a" '
                  f'stroke-width="4" fill="none"/>\n' for x in (170, 210, 250))
    )
    path.write_bytes(svg_doc(320, 240, PICTURE_TITLE[lang], lang, body))


def _story(name, title, description, tags):
    """An article group for one story."""
    return {"kind": "article", "file": f"articles/{name}.{{lang}}.md", "title": title,
            "description": description, "tags": tags}


def _quiz(name, data, title, description):
    """An exercise group."""
    return {"kind": "exercise", "file": f"exercises/{name}.{{lang}}.json", "exercise": data,
            "title": title, "description": description,
            "tags": L(en=["reading", "quiz"], fr=["lecture", "questions"], es=["lectura", "preguntas"],
                      ar=["القراءة", "تمارين"])}


def _spec() -> dict:
    """The reading pack, as build.build_pack expects it."""
    story_tags = L(en=["story", "reading"], fr=["histoire", "lecture"], es=["cuento", "lectura"],
                   ar=["قصة", "القراءة"])
    return {
        "id": "org.communityhub.reading", "version": "1.1.0", "languages": LANGS,
        "title": L(en="Reading together", fr="Lire ensemble", es="Leer juntos", ar="نقرأ معًا"),
        "description": L(
            en="Letters, sounds and syllables to say aloud, and two short stories with questions.",
            fr="Des lettres, des sons et des syllabes à dire à voix haute, et deux petites histoires avec des questions.",
            es="Letras, sonidos y sílabas para decir en voz alta, y dos cuentos cortos con preguntas.",
            ar="حروف وأصوات ومقاطع نقولها بصوت عالٍ، وقصتان قصيرتان مع أسئلة."),
        "topics": [
            {"id": "letters", "title": L(en="Letters and sounds", fr="Les lettres et les sons",
                                         es="Letras y sonidos", ar="الحروف والأصوات"),
             "groups": ["letters-and-sounds", "syllables", "letters-quiz"]},
            {"id": "stories", "title": L(en="Stories", fr="Histoires", es="Cuentos", ar="قصص"), "topics": [
                {"id": "thirsty-seeds", "title": L(en="Amal and the thirsty seeds", fr="Amal et les graines assoiffées",
                                                   es="Amal y las semillas con sed", ar="أمل والبذور العطشى"),
                 "groups": ["story-seeds", "seeds-picture", "seeds-quiz"]},
                {"id": "lost-sandal", "title": L(en="Where is Sami's sandal?", fr="Où est la sandale de Sami ?",
                                                 es="¿Dónde está la sandalia de Sami?", ar="أين صندل سامي؟"),
                 "groups": ["story-sandal", "sandal-quiz"]},
            ]},
        ],
        "groups": {
            "letters-and-sounds": {
                "kind": "article", "file": "articles/letters-and-sounds.{lang}.md",
                "title": L(en="Letters and sounds", fr="Les lettres et les sons", es="Letras y sonidos",
                           ar="الحروف والأصوات"),
                "description": L(en="Say the sound of a letter, blend sounds into words, and play I spy.",
                                 fr="Dire le son d'une lettre, assembler des syllabes et jouer à « je vois ».",
                                 es="Decir el sonido de cada letra, formar sílabas y jugar a «veo, veo».",
                                 ar="نقول صوت الحرف بحركاته، ونركّب الأصوات كلمات، ونلعب «أرى شيئًا»."),
                "tags": L(en=["letters", "phonics"], fr=["lettres", "syllabes"], es=["letras", "sílabas"],
                          ar=["الحروف", "الحركات"])},
            "syllables": {
                "kind": "audio", "file": "audio/syllables.{lang}.wav", "make": make_syllables,
                "title": L(en="Syllables to say aloud", fr="Des syllabes à dire à voix haute",
                           es="Sílabas para decir en voz alta", ar="مقاطع نقولها بصوت عالٍ"),
                "description": L(en="Listen, then repeat each sound in the pause.",
                                 fr="Écoute, puis répète chaque syllabe pendant la pause.",
                                 es="Escucha y repite cada sílaba en la pausa.",
                                 ar="استمع، ثم ردّد كل مقطع في أثناء الاستراحة."),
                "tags": L(en=["sounds", "listening"], fr=["sons", "écoute"], es=["sonidos", "escuchar"],
                          ar=["الأصوات", "الاستماع"])},
            "letters-quiz": _quiz("letters-quiz", LETTERS,
                                  L(en="Sounds questions", fr="Questions sur les sons", es="Preguntas de sonidos",
                                    ar="أسئلة الأصوات"),
                                  L(en="Four questions about first sounds and blending.",
                                    fr="Quatre questions sur les sons et les syllabes.",
                                    es="Cuatro preguntas sobre sonidos y sílabas.",
                                    ar="أربعة أسئلة عن الأصوات وتركيب الكلمات.")),
            "story-seeds": _story("story-seeds", L(en="Amal and the thirsty seeds", fr="Amal et les graines assoiffées",
                                                   es="Amal y las semillas con sed", ar="أمل والبذور العطشى"),
                                  L(en="A story about a dry week, a heavy can and a good friend.",
                                    fr="Une histoire de semaine sèche, de bidon lourd et de bon ami.",
                                    es="Un cuento sobre una semana seca, una lata pesada y un buen amigo.",
                                    ar="قصة عن أسبوع جافّ وعلبة ثقيلة وصديق طيّب."), story_tags),
            "seeds-picture": {
                "kind": "image", "file": "images/amal-waters-the-seeds.{lang}.svg", "make": make_picture,
                "title": PICTURE_TITLE,
                "description": L(en="A picture from the story: rain is coming and the shoots are growing.",
                                 fr="Une image de l'histoire : la pluie arrive et les pousses grandissent.",
                                 es="Un dibujo del cuento: llega la lluvia y crecen los brotes.",
                                 ar="صورة من القصة: المطر قادم والبراعم تنمو."),
                "tags": L(en=["story", "picture"], fr=["histoire", "image"], es=["cuento", "dibujo"],
                          ar=["قصة", "صورة"])},
            "seeds-quiz": _quiz("seeds-quiz", SEEDS,
                                L(en="Questions on Amal's story", fr="Questions sur l'histoire d'Amal",
                                  es="Preguntas sobre el cuento de Amal", ar="أسئلة عن قصة أمل"),
                                L(en="Four questions to check what you read.", fr="Quatre questions sur ta lecture.",
                                  es="Cuatro preguntas sobre lo que leíste.", ar="أربعة أسئلة عمّا قرأت.")),
            "story-sandal": _story("story-sandal", L(en="Where is Sami's sandal?", fr="Où est la sandale de Sami ?",
                                                     es="¿Dónde está la sandalia de Sami?", ar="أين صندل سامي؟"),
                                   L(en="A funny story about thinking back step by step.",
                                     fr="Une histoire drôle où l'on réfléchit étape par étape.",
                                     es="Un cuento divertido sobre pensar paso a paso.",
                                     ar="قصة طريفة عن التذكّر خطوة خطوة."), story_tags),
            "sandal-quiz": _quiz("sandal-quiz", SANDAL,
                                 L(en="Questions on Sami's story", fr="Questions sur l'histoire de Sami",
                                   es="Preguntas sobre el cuento de Sami", ar="أسئلة عن قصة سامي"),
                                 L(en="Three questions about the lost sandal.", fr="Trois questions sur la sandale perdue.",
                                   es="Tres preguntas sobre la sandalia perdida.", ar="ثلاثة أسئلة عن الصندل الضائع.")),
        },
    }


def spec() -> dict:
    """The pack with its Kannada, Bengali, Hausa and Amharic versions (packgen.new_languages)."""
    from .new_language_texts import READING
    from .new_languages import extend

    return extend(_spec(), READING)
