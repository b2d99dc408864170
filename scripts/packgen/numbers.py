"""Spec of org.communityhub.numbers: counting, adding within 10 and 20, shapes."""
from __future__ import annotations

from .apps import app_zip
from .build import L
from .svg import label, svg_doc

LANGS = ["en", "sw", "hi", "ar"]

GAME_STRINGS = {
    "title": L(en="Count the mangoes", sw="Hesabu maembe", hi="आम गिनो", ar="عُدَّ حبّات المانجو"),
    "question": L(en="How many mangoes? Tap each one to count it.",
                  sw="Kuna maembe mangapi? Gusa kila embe ili ulihesabu.",
                  hi="कितने आम हैं? गिनने के लिए हर आम को छुओ।",
                  ar="كم حبّة مانجو هنا؟ المس كل حبّة لتعدّها."),
    "round": L(en="Basket {n} of {total}", sw="Kikapu {n} kati ya {total}",
               hi="टोकरी {n} (कुल {total})", ar="السلة {n} من {total}"),
    "right": L(en="Yes! There are {n}.", sw="Ndiyo! Yapo {n}.", hi="हाँ! यहाँ {n} आम हैं।",
               ar="نعم! العدد هو {n}."),
    "wrong": L(en="Not yet. Touch each mango and count again.",
               sw="Bado kidogo. Gusa kila embe, kisha uhesabu tena.",
               hi="अभी नहीं। हर आम को छूकर फिर से गिनो।",
               ar="ليس بعد. المس كل حبّة وعُدَّ مرة أخرى."),
    "next": L(en="Next basket", sw="Kikapu kinachofuata", hi="अगली टोकरी", ar="السلة التالية"),
    "finish": L(en="Finish", sw="Maliza", hi="पूरा करो", ar="إنهاء"),
    "done": L(en="Well done! You were right the first time in {score} of {total} baskets.",
              sw="Hongera! Ulipata sawa mara ya kwanza katika vikapu {score} kati ya {total}.",
              hi="शाबाश! तुमने {total} में से {score} टोकरियाँ पहली बार में सही गिनीं।",
              ar="أحسنت! أصبت من المحاولة الأولى في {score} من {total}."),
    "again": L(en="Play again", sw="Cheza tena", hi="फिर से खेलो", ar="العب مرة أخرى"),
    "noscript": L(en="This game needs JavaScript.", sw="Mchezo huu unahitaji JavaScript.",
                  hi="इस खेल के लिए JavaScript चाहिए।", ar="تحتاج هذه اللعبة إلى JavaScript."),
    "digits": L(en="0123456789", sw="0123456789", hi="0123456789", ar="٠١٢٣٤٥٦٧٨٩"),
}
GAME_MARKUP = """<main id="play" hidden>
<p id="round"></p>
<svg id="board" viewBox="0 0 260 140" width="260" height="140" aria-hidden="false"></svg>
<p id="message" aria-live="polite"></p>
<div id="choices"></div>
<button type="button" id="next" hidden></button>
</main>"""


def make_game(lang, path, media):
    """Write the counting game zip for one language."""
    path.write_bytes(app_zip("counting", GAME_STRINGS, lang, GAME_MARKUP))


SHAPE_NAMES = {
    "title": L(en="Shapes around us", sw="Maumbo yanayotuzunguka", hi="हमारे आस-पास की आकृतियाँ",
               ar="أشكال من حولنا"),
    "circle": L(en="circle", sw="duara", hi="वृत्त", ar="دائرة"),
    "triangle": L(en="triangle", sw="pembetatu", hi="त्रिभुज", ar="مثلث"),
    "square": L(en="square", sw="mraba", hi="वर्ग", ar="مربع"),
    "rectangle": L(en="rectangle", sw="mstatili", hi="आयत", ar="مستطيل"),
}


def make_shapes(lang, path, media):
    """Four shapes, corners marked with dots so children can count them."""
    n = {key: value[lang] for key, value in SHAPE_NAMES.items()}
    dots = lambda pts: "".join(f'<circle cx="{x}" cy="{y}" r="5" fill="#1f2937"/>\n' for x, y in pts)
    body = (
        '<rect width="400" height="300" fill="#f0fdf4"/>\n'
        + label(200, 32, n["title"], 22, "bold")
        + '<circle cx="100" cy="100" r="45" fill="#fbbf24" stroke="#92400e" stroke-width="3"/>\n'
        + label(100, 172, n["circle"])
        + '<polygon points="300,55 350,145 250,145" fill="#60a5fa" stroke="#1e3a8a" stroke-width="3"/>\n'
        + dots([(300, 55), (350, 145), (250, 145)]) + label(300, 172, n["triangle"])
        + '<rect x="60" y="195" width="80" height="80" fill="#f87171" stroke="#7f1d1d" stroke-width="3"/>\n'
        + dots([(60, 195), (140, 195), (60, 275), (140, 275)]) + label(100, 295, n["square"], 16)
        + '<rect x="235" y="205" width="130" height="65" fill="#a78bfa" stroke="#4c1d95" stroke-width="3"/>\n'
        + dots([(235, 205), (365, 205), (235, 270), (365, 270)]) + label(300, 295, n["rectangle"], 16)
    )
    path.write_bytes(svg_doc(400, 300, n["title"], lang, body))


def _spec() -> dict:
    """The numbers pack, as build.build_pack expects it."""
    from .numbers_exercises import ADDING, COUNTING, SHAPES
    return {
        "id": "org.communityhub.numbers", "version": "1.1.0", "languages": LANGS,
        "title": L(en="Numbers and shapes", sw="Namba na maumbo", hi="संख्याएँ और आकृतियाँ",
                   ar="الأعداد والأشكال"),
        "description": L(
            en="Counting to twenty, adding within 10 and 20, and the shapes around us, with a counting game.",
            sw="Kuhesabu hadi ishirini, kujumlisha hadi 10 na 20, na maumbo yanayotuzunguka, pamoja na mchezo wa kuhesabu.",
            hi="बीस तक गिनती, 10 और 20 तक जोड़, और हमारे आस-पास की आकृतियाँ, साथ में गिनती का एक खेल।",
            ar="العدّ حتى عشرين، والجمع حتى 10 و20، والأشكال من حولنا، مع لعبة للعدّ."),
        "topics": [
            {"id": "numbers", "title": L(en="Numbers", sw="Namba", hi="संख्याएँ", ar="الأعداد"), "topics": [
                {"id": "counting", "title": L(en="Counting", sw="Kuhesabu", hi="गिनती", ar="العدّ"),
                 "groups": ["count-to-ten", "count-the-mangoes", "counting-quiz"]},
                {"id": "adding", "title": L(en="Adding", sw="Kujumlisha", hi="जोड़", ar="الجمع"),
                 "groups": ["adding", "adding-quiz"]},
            ]},
            {"id": "shapes", "title": L(en="Shapes", sw="Maumbo", hi="आकृतियाँ", ar="الأشكال"),
             "groups": ["shapes", "shapes-picture", "shapes-quiz"]},
        ],
        "groups": {
            "count-to-ten": {
                "kind": "article", "file": "articles/count-to-ten.{lang}.md",
                "title": L(en="Counting to ten and beyond", sw="Kuhesabu hadi kumi na zaidi",
                           hi="दस तक और उससे आगे गिनती", ar="العدّ حتى عشرة وما بعدها"),
                "description": L(en="Count things at home one by one, then count on to twenty.",
                                 sw="Hesabu vitu vya nyumbani kimoja kimoja, kisha endelea hadi ishirini.",
                                 hi="घर की चीज़ें एक-एक करके गिनो, फिर बीस तक आगे गिनो।",
                                 ar="عُدَّ أشياء البيت واحدًا واحدًا، ثم تابع العدّ حتى عشرين."),
                "tags": L(en=["counting", "numbers"], sw=["kuhesabu", "namba"], hi=["गिनती", "संख्या"],
                          ar=["العد", "الأعداد"])},
            "count-the-mangoes": {
                "kind": "html5", "file": "apps/count-the-mangoes.{lang}.zip", "make": make_game,
                "title": GAME_STRINGS["title"],
                "description": L(en="A game: count the mangoes in each basket and tap the right number.",
                                 sw="Mchezo: hesabu maembe katika kila kikapu na uguse namba sahihi.",
                                 hi="खेल: हर टोकरी के आम गिनो और सही संख्या छुओ।",
                                 ar="لعبة: عُدَّ حبّات المانجو في كل سلة والمس العدد الصحيح."),
                "tags": L(en=["counting", "game"], sw=["kuhesabu", "mchezo"], hi=["गिनती", "खेल"],
                          ar=["العد", "لعبة"])},
            "counting-quiz": {
                "kind": "exercise", "file": "exercises/counting-quiz.{lang}.json", "exercise": COUNTING,
                "title": L(en="Counting questions", sw="Maswali ya kuhesabu", hi="गिनती के सवाल",
                           ar="أسئلة العدّ"),
                "description": L(en="Five questions about counting and comparing numbers.",
                                 sw="Maswali matano kuhusu kuhesabu na kulinganisha namba.",
                                 hi="गिनती और संख्याओं की तुलना पर पाँच सवाल।",
                                 ar="خمسة أسئلة عن العدّ ومقارنة الأعداد."),
                "tags": L(en=["counting", "quiz"], sw=["kuhesabu", "maswali"], hi=["गिनती", "अभ्यास"],
                          ar=["العد", "تمارين"])},
            "adding": {
                "kind": "article", "file": "articles/adding.{lang}.md",
                "title": L(en="Adding within 10 and 20", sw="Kujumlisha hadi 10 na 20",
                           hi="10 और 20 तक जोड़", ar="الجمع حتى 10 و20"),
                "description": L(en="Put groups together, count on, and make ten to add bigger numbers.",
                                 sw="Weka makundi pamoja, hesabu mbele, na fikia kumi ili kujumlisha namba kubwa.",
                                 hi="समूह मिलाओ, आगे गिनो, और बड़ी संख्याएँ जोड़ने के लिए दस बनाओ।",
                                 ar="اجمع المجموعات، وعُدَّ إلى الأمام، وكوِّن عشرة لتجمع أعدادًا أكبر."),
                "tags": L(en=["adding", "addition"], sw=["kujumlisha", "hesabu"], hi=["जोड़", "गणित"],
                          ar=["الجمع", "الحساب"])},
            "adding-quiz": {
                "kind": "exercise", "file": "exercises/adding-quiz.{lang}.json", "exercise": ADDING,
                "title": L(en="Adding questions", sw="Maswali ya kujumlisha", hi="जोड़ के सवाल",
                           ar="أسئلة الجمع"),
                "description": L(en="Six adding questions, from 3 + 4 to estimating with tens.",
                                 sw="Maswali sita ya kujumlisha, kuanzia 3 + 4 hadi kukadiria kwa makumi.",
                                 hi="जोड़ के छह सवाल, 3 + 4 से लेकर दहाइयों से अनुमान तक।",
                                 ar="ستة أسئلة في الجمع، من 3 + 4 إلى التقدير بالعشرات."),
                "tags": L(en=["adding", "quiz"], sw=["kujumlisha", "maswali"], hi=["जोड़", "अभ्यास"],
                          ar=["الجمع", "تمارين"])},
            "shapes": {
                "kind": "article", "file": "articles/shapes.{lang}.md",
                "title": SHAPE_NAMES["title"],
                "description": L(en="Circles, triangles, squares and rectangles: find them at home and outside.",
                                 sw="Duara, pembetatu, mraba na mstatili: yatafute nyumbani na nje.",
                                 hi="वृत्त, त्रिभुज, वर्ग और आयत: इन्हें घर में और बाहर ढूँढो।",
                                 ar="الدائرة والمثلث والمربع والمستطيل: ابحث عنها في البيت وخارجه."),
                "tags": L(en=["shapes", "geometry"], sw=["maumbo", "jiometri"], hi=["आकृतियाँ", "ज्यामिति"],
                          ar=["الأشكال", "الهندسة"])},
            "shapes-picture": {
                "kind": "image", "file": "images/shapes.{lang}.svg", "make": make_shapes,
                "title": L(en="Picture: four shapes", sw="Picha: maumbo manne", hi="चित्र: चार आकृतियाँ",
                           ar="صورة: أربعة أشكال"),
                "description": L(en="A circle, a triangle, a square and a rectangle, with their corners marked.",
                                 sw="Duara, pembetatu, mraba na mstatili, pembe zake zikiwa na alama.",
                                 hi="एक वृत्त, एक त्रिभुज, एक वर्ग और एक आयत, कोनों पर निशान के साथ।",
                                 ar="دائرة ومثلث ومربع ومستطيل، مع علامات على الزوايا."),
                "tags": L(en=["shapes", "picture"], sw=["maumbo", "picha"], hi=["आकृतियाँ", "चित्र"],
                          ar=["الأشكال", "صورة"])},
            "shapes-quiz": {
                "kind": "exercise", "file": "exercises/shapes-quiz.{lang}.json", "exercise": SHAPES,
                "title": L(en="Shapes questions", sw="Maswali ya maumbo", hi="आकृतियों के सवाल",
                           ar="أسئلة الأشكال"),
                "description": L(en="Sides and corners: four questions.", sw="Pande na pembe: maswali manne.",
                                 hi="भुजाएँ और कोने: चार सवाल।", ar="الأضلاع والزوايا: أربعة أسئلة."),
                "tags": L(en=["shapes", "quiz"], sw=["maumbo", "maswali"], hi=["आकृतियाँ", "अभ्यास"],
                          ar=["الأشكال", "تمارين"])},
        },
    }


def spec() -> dict:
    """The pack with its Kannada, Bengali, Hausa and Amharic versions (packgen.new_languages)."""
    from .new_language_texts import NUMBERS
    from .new_languages import extend

    return extend(_spec(), NUMBERS)
