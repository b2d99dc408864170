"""Spec of org.communityhub.wellbeing: feelings, friendship, asking for help, calm breathing."""
from __future__ import annotations

from .build import L
from .media import silence, tone, write_wav
from .svg import label, svg_doc
from .wellbeing_exercises import FEELINGS, HELP

LANGS = ["en", "sw", "es", "ar"]


def make_breathing(lang, path, media):
    """One calm breath: a tone rising for 3 s (breathe in), falling for 4 s (breathe out).

    The same sound serves every language; the learner replays it as often as they like.
    """
    samples = silence(0.2) + tone(220, 330, 3.0, 0.45) + silence(0.2) + tone(330, 196, 4.0, 0.45)
    return write_wav(path, samples)


FACES = {
    "title": L(en="How do I feel?", sw="Najisikiaje?", es="¿Cómo me siento?", ar="بماذا أشعر؟"),
    "happy": L(en="happy", sw="furaha", es="alegría", ar="فرح"),
    "sad": L(en="sad", sw="huzuni", es="tristeza", ar="حزن"),
    "angry": L(en="angry", sw="hasira", es="enojo", ar="غضب"),
    "scared": L(en="scared", sw="hofu", es="miedo", ar="خوف"),
}


def _face(cx, cy, colour, mouth, brows="", eyes=""):
    """A round face: colour, a mouth path, optional brows and eye shapes."""
    eyes = eyes or (f'<circle cx="{cx - 18}" cy="{cy - 10}" r="6" fill="#1f2937"/>'
                    f'<circle cx="{cx + 18}" cy="{cy - 10}" r="6" fill="#1f2937"/>')
    return (f'<circle cx="{cx}" cy="{cy}" r="50" fill="{colour}" stroke="#1f2937" stroke-width="3"/>\n'
            f'{eyes}{brows}<path d="{mouth}" stroke="#1f2937" stroke-width="4" fill="none" '
            f'stroke-linecap="round"/>\n')


def make_faces(lang, path, media):
    """Four faces for four feelings, each named in the picture's language."""
    n = {key: value[lang] for key, value in FACES.items()}
    body = (
        '<rect width="400" height="340" fill="#fdf4ff"/>\n' + label(200, 32, n["title"], 22, "bold")
        + _face(100, 110, "#fde047", "M78 122 Q100 145 122 122") + label(100, 185, n["happy"])
        + _face(300, 110, "#93c5fd", "M278 135 Q300 117 322 135",
                eyes='<circle cx="282" cy="100" r="6" fill="#1f2937"/><circle cx="318" cy="100" r="6" fill="#1f2937"/>'
                     '<path d="M282 110 q-3 10 0 14" stroke="#2563eb" stroke-width="3" fill="none"/>')
        + label(300, 185, n["sad"])
        + _face(100, 260, "#fca5a5", "M80 282 L120 282",
                brows='<path d="M72 236 L94 244 M128 236 L106 244" stroke="#1f2937" stroke-width="4"/>')
        + label(100, 332, n["angry"])
        + _face(300, 260, "#c4b5fd", "M288 282 a12 10 0 1 0 24 0 a12 10 0 1 0 -24 0",
                eyes='<circle cx="282" cy="250" r="9" fill="#fff" stroke="#1f2937" stroke-width="2"/>'
                     '<circle cx="318" cy="250" r="9" fill="#fff" stroke="#1f2937" stroke-width="2"/>'
                     '<circle cx="282" cy="250" r="4" fill="#1f2937"/><circle cx="318" cy="250" r="4" fill="#1f2937"/>')
        + label(300, 332, n["scared"])
    )
    path.write_bytes(svg_doc(400, 340, n["title"], lang, body))


def _article(name, title, description, tags):
    """An article group."""
    return {"kind": "article", "file": f"articles/{name}.{{lang}}.md", "title": title,
            "description": description, "tags": tags}


def _spec() -> dict:
    """The well-being pack, as build.build_pack expects it."""
    return {
        "id": "org.communityhub.wellbeing", "version": "1.1.0", "languages": LANGS,
        "title": L(en="Feeling well together", sw="Kujisikia vizuri pamoja", es="Sentirnos bien juntos",
                   ar="نشعر بالخير معًا"),
        "description": L(
            en="Naming feelings, making friends, asking for help and calming down with slow breathing.",
            sw="Kuzitaja hisia, kupata marafiki, kuomba msaada na kutulia kwa kupumua polepole.",
            es="Ponerles nombre a los sentimientos, hacer amigos, pedir ayuda y calmarse respirando despacio.",
            ar="نسمّي مشاعرنا، ونكوّن صداقات، ونطلب المساعدة، ونهدأ بالتنفّس البطيء."),
        "topics": [
            {"id": "feelings", "title": L(en="Feelings", sw="Hisia", es="Sentimientos", ar="المشاعر"),
             "groups": ["feelings", "feelings-faces", "feelings-quiz"]},
            {"id": "together", "title": L(en="Friends and help", sw="Marafiki na msaada", es="Amigos y ayuda",
                                          ar="الأصدقاء والمساعدة"), "topics": [
                {"id": "friendship", "title": L(en="Friendship", sw="Urafiki", es="La amistad", ar="الصداقة"),
                 "groups": ["friendship"]},
                {"id": "asking-for-help", "title": L(en="Asking for help", sw="Kuomba msaada", es="Pedir ayuda",
                                                     ar="طلب المساعدة"),
                 "groups": ["asking-for-help", "help-quiz"]},
            ]},
            {"id": "calm", "title": L(en="Calm", sw="Utulivu", es="Calma", ar="الهدوء"),
             "groups": ["balloon-breathing", "breathing-guide"]},
        ],
        "groups": {
            "feelings": _article("feelings", L(en="Naming our feelings", sw="Kuzitaja hisia zetu",
                                               es="Ponerles nombre a los sentimientos", ar="نسمّي مشاعرنا"),
                                 L(en="Happy, sad, angry, scared: every feeling is allowed, and words help.",
                                   sw="Furaha, huzuni, hasira, hofu: kila hisia inaruhusiwa, na maneno husaidia.",
                                   es="Alegría, tristeza, enojo, miedo: todo sentimiento está permitido y las palabras ayudan.",
                                   ar="الفرح والحزن والغضب والخوف: كل شعور مسموح به، والكلمات تساعد."),
                                 L(en=["feelings", "emotions"], sw=["hisia", "moyo"], es=["sentimientos", "emociones"],
                                   ar=["المشاعر", "العواطف"])),
            "feelings-faces": {
                "kind": "image", "file": "images/feelings.{lang}.svg", "make": make_faces, "title": FACES["title"],
                "description": L(en="Four faces: happy, sad, angry and scared.",
                                 sw="Nyuso nne: furaha, huzuni, hasira na hofu.",
                                 es="Cuatro caras: alegría, tristeza, enojo y miedo.",
                                 ar="أربعة وجوه: فرح وحزن وغضب وخوف."),
                "tags": L(en=["feelings", "picture"], sw=["hisia", "picha"], es=["sentimientos", "dibujo"],
                          ar=["المشاعر", "صورة"])},
            "feelings-quiz": {
                "kind": "exercise", "file": "exercises/feelings-quiz.{lang}.json", "exercise": FEELINGS,
                "title": L(en="How might they feel?", sw="Huenda wanajisikiaje?", es="¿Cómo se sentirán?",
                           ar="بماذا قد يشعرون؟"),
                "description": L(en="Four gentle questions about feelings.", sw="Maswali manne ya upole kuhusu hisia.",
                                 es="Cuatro preguntas tranquilas sobre los sentimientos.",
                                 ar="أربعة أسئلة لطيفة عن المشاعر."),
                "tags": L(en=["feelings", "quiz"], sw=["hisia", "maswali"], es=["sentimientos", "preguntas"],
                          ar=["المشاعر", "تمارين"])},
            "friendship": _article("friendship", L(en="A new friend", sw="Rafiki mpya", es="Una amiga nueva",
                                                   ar="صديقة جديدة"),
                                   L(en="A story about a new girl at school, and what makes a good friend.",
                                     sw="Hadithi ya msichana mpya shuleni, na kinachomfanya mtu kuwa rafiki mwema.",
                                     es="Un cuento sobre una niña nueva en la escuela y sobre qué es un buen amigo.",
                                     ar="قصة عن بنت جديدة في المدرسة، وعمّا يجعل الصديق صديقًا جيدًا."),
                                   L(en=["friendship", "story"], sw=["urafiki", "hadithi"], es=["amistad", "cuento"],
                                     ar=["الصداقة", "قصة"])),
            "asking-for-help": _article("asking-for-help", L(en="Who can help me?", sw="Nani anaweza kunisaidia?",
                                                             es="¿Quién me puede ayudar?", ar="من يستطيع أن يساعدني؟"),
                                        L(en="When, whom and how to ask for help, and secrets that should be told.",
                                          sw="Lini, kwa nani na jinsi ya kuomba msaada, na siri zinazopaswa kuelezwa.",
                                          es="Cuándo, a quién y cómo pedir ayuda, y los secretos que hay que contar.",
                                          ar="متى نطلب المساعدة وممّن وكيف، والأسرار التي يجب أن نخبر بها."),
                                        L(en=["help", "safety"], sw=["msaada", "usalama"], es=["ayuda", "seguridad"],
                                          ar=["المساعدة", "الأمان"])),
            "help-quiz": {
                "kind": "exercise", "file": "exercises/help-quiz.{lang}.json", "exercise": HELP,
                "title": L(en="Friends and help: questions", sw="Marafiki na msaada: maswali",
                           es="Amigos y ayuda: preguntas", ar="الأصدقاء والمساعدة: أسئلة"),
                "description": L(en="Four questions about asking for help and being a friend.",
                                 sw="Maswali manne kuhusu kuomba msaada na kuwa rafiki.",
                                 es="Cuatro preguntas sobre pedir ayuda y ser un buen amigo.",
                                 ar="أربعة أسئلة عن طلب المساعدة وعن الصداقة."),
                "tags": L(en=["help", "quiz"], sw=["msaada", "maswali"], es=["ayuda", "preguntas"],
                          ar=["المساعدة", "تمارين"])},
            "balloon-breathing": _article("balloon-breathing", L(en="Balloon breathing", sw="Kupumua kama puto",
                                                                 es="Respirar como un globo", ar="تنفّس البالون"),
                                          L(en="Slow breathing to calm down, anywhere, any time.",
                                            sw="Kupumua polepole ili kutulia, popote, wakati wowote.",
                                            es="Respirar despacio para calmarse, en cualquier lugar y momento.",
                                            ar="تنفّس بطيء لنهدأ، في أي مكان وأي وقت."),
                                          L(en=["calm", "breathing"], sw=["utulivu", "kupumua"], es=["calma", "respirar"],
                                            ar=["الهدوء", "التنفس"])),
            "breathing-guide": {
                "kind": "audio", "file": "audio/breathing-guide.{lang}.wav", "make": make_breathing,
                "title": L(en="Breathing guide", sw="Mwongozo wa kupumua", es="Guía para respirar", ar="دليل التنفّس"),
                "description": L(en="A soft sound: breathe in while it rises, breathe out while it falls.",
                                 sw="Sauti laini: vuta pumzi inapopanda, toa pumzi inaposhuka.",
                                 es="Un sonido suave: toma aire mientras sube y suéltalo mientras baja.",
                                 ar="صوت هادئ: خذ نفَسًا حين يرتفع، وأخرجه حين ينخفض."),
                "tags": L(en=["calm", "breathing", "listening"], sw=["utulivu", "kupumua", "kusikiliza"],
                          es=["calma", "respirar", "escuchar"], ar=["الهدوء", "التنفس", "الاستماع"])},
        },
    }


def spec() -> dict:
    """The pack with its Kannada, Bengali, Hausa and Amharic versions (packgen.new_languages)."""
    from .new_language_texts import WELLBEING
    from .new_languages import extend

    return extend(_spec(), WELLBEING)
