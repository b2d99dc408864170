"""Kannada, Bengali, Hausa and Amharic in the bundled packs (issue 23).

Each pack gains, in the four languages, its title, description and topic titles, one article
(written by hand in articles/*.{kn,bn,ha,am}.md) and one short exercise, as new language
versions of existing groups: a child who reads Kannada finds something to do, and a child who
reads English still sees the English version. `extend(spec, texts)` merges them into a spec.
"""
from __future__ import annotations

from .build import L
from .numbers_exercises import choices

NEW = ["kn", "bn", "ha", "am"]

RIGHT = L(kn="ಹೌದು, ಶಭಾಷ್!", bn="হ্যাঁ, খুব ভালো!", ha="Ee, madalla!", am="አዎ፣ በጣም ጥሩ!")
AGAIN = L(kn="ಇನ್ನೂ ಸ್ವಲ್ಪ. ಮತ್ತೆ ಪ್ರಯತ್ನಿಸು!", bn="প্রায় হয়েছে। আবার চেষ্টা করো!",
          ha="Kusan haka. Sake gwadawa!", am="ትንሽ ቀረ። እንደገና ሞክሩ!")
KIND = L(kn="ಹೌದು, ಅದು ದಯೆಯ ಮತ್ತು ಜಾಣ ಉತ್ತರ.", bn="হ্যাঁ, এটা একটা দরদি আর বুদ্ধিমান উত্তর।",
         ha="Ee, wannan amsa ce mai kyau da hikima.", am="አዎ፣ ይህ ደግና ብልህ መልስ ነው።")
THINK = L(kn="ಒಳ್ಳೆಯ ಯೋಚನೆ. ಬೇರೆ ಉತ್ತರ ಇನ್ನೂ ಚೆನ್ನಾಗಿ ಹೊಂದಬಹುದು. ಮತ್ತೊಮ್ಮೆ ನೋಡು.",
          bn="ভালো ভেবেছ। অন্য একটা উত্তর হয়তো আরও ভালো মেলে। আবার দেখো।",
          ha="Tunani mai kyau. Wata amsa za ta fi dacewa. Sake dubawa.",
          am="ጥሩ አስባችኋል። ሌላ መልስ የበለጠ ሊስማማ ይችላል። እንደገና ተመልከቱ።")
QUIZ_TAG = L(kn="ಪ್ರಶ್ನೆಗಳು", bn="প্রশ্ন", ha="tambayoyi", am="ጥያቄዎች")

COUNTING = {"questions": [
    {"id": "after-seven", "type": "single_choice",
     "prompt": L(kn="7ರ ನಂತರ ತಕ್ಷಣ ಯಾವ ಸಂಖ್ಯೆ ಬರುತ್ತದೆ?", bn="7-এর ঠিক পরে কোন সংখ্যা আসে?",
                 ha="Wace lamba ce ke zuwa daidai bayan 7?", am="ከ7 ቀጥሎ ወዲያውኑ የሚመጣው ቁጥር የትኛው ነው?"),
     "choices": choices("6", "8", "9"), "answer": "b",
     "hints": [L(kn="ಜೋರಾಗಿ ಎಣಿಸು: 5, 6, 7, ...", bn="জোরে জোরে গোনো: 5, 6, 7, ...",
                 ha="Ƙidaya da ƙarfi: 5, 6, 7, ...", am="ጮክ ብላችሁ ቁጠሩ፦ 5፣ 6፣ 7፣ ...")],
     "feedback": {"correct": RIGHT, "incorrect": AGAIN}},
    {"id": "count-by-twos", "type": "numeric",
     "prompt": L(kn="ಎರಡೆರಡಾಗಿ ಎಣಿಸು: 2, 4, 6, 8, ... ಮುಂದೆ ಯಾವುದು?",
                 bn="দুই দুই করে গোনো: 2, 4, 6, 8, ... এরপর কোনটা?",
                 ha="Ƙidaya biyu-biyu: 2, 4, 6, 8, ... Me ke biye?",
                 am="ሁለት ሁለት እያላችሁ ቁጠሩ፦ 2፣ 4፣ 6፣ 8፣ ... ቀጥሎ ምንድን ነው?"),
     "answer": 10, "tolerance": 0, "feedback": {"correct": RIGHT, "incorrect": AGAIN}},
    {"id": "cups-children", "type": "single_choice",
     "prompt": L(kn="4 ಲೋಟಗಳು ಮತ್ತು 6 ಮಕ್ಕಳು ಇದ್ದಾರೆ. ಲೋಟಗಳು ಹೆಚ್ಚೋ ಮಕ್ಕಳು ಹೆಚ್ಚೋ?",
                 bn="4টা কাপ আর 6 জন শিশু আছে। কাপ বেশি, না শিশু বেশি?",
                 ha="Akwai kofuna 4 da yara 6. Kofuna ne suka fi yawa ko yara?",
                 am="4 ኩባያዎችና 6 ልጆች አሉ። የሚበዙት ኩባያዎች ናቸው ወይስ ልጆች?"),
     "choices": choices(L(kn="ಲೋಟಗಳು", bn="কাপ", ha="kofuna", am="ኩባያዎች"),
                        L(kn="ಮಕ್ಕಳು", bn="শিশু", ha="yara", am="ልጆች")),
     "answer": "b", "feedback": {"correct": RIGHT, "incorrect": AGAIN}},
], "mastery": {"correct": 2, "of": 3}}

SEEDS = {"questions": [
    {"id": "what-planted", "type": "single_choice",
     "prompt": L(kn="ಅಮಲ್ ಮತ್ತು ಅಜ್ಜಿ ಮನೆಯ ಹಿಂದೆ ಏನು ನೆಟ್ಟರು?", bn="আমাল আর দিদিমা বাড়ির পিছনে কী পুঁতল?",
                 ha="Me Amal da kakarta suka shuka a bayan gida?", am="አማልና አያቷ ከቤቱ ጀርባ ምን ተከሉ?"),
     "choices": choices(L(kn="ಬೀಜಗಳು", bn="বীজ", ha="iri", am="ዘሮች"),
                        L(kn="ಕಲ್ಲುಗಳು", bn="পাথর", ha="duwatsu", am="ድንጋዮች"),
                        L(kn="ಹೂವುಗಳು", bn="ফুল", ha="furanni", am="አበቦች")),
     "answer": "a", "feedback": {"correct": RIGHT, "incorrect": AGAIN}},
    {"id": "who-helped", "type": "single_choice",
     "prompt": L(kn="ಅಮಲ್‌ಗೆ ಸಹಾಯ ಮಾಡಲು ಯಾರು ಬಂದರು?", bn="আমালকে সাহায্য করতে কে এল?",
                 ha="Wa ya zo ya taimaki Amal?", am="አማልን ለመርዳት ማን መጣ?"),
     "choices": choices(L(kn="ಅವಳ ಗೆಳೆಯ ಕೋಫಿ", bn="তার বন্ধু কোফি", ha="abokinta Kofi", am="ጓደኛዋ ኮፊ"),
                        L(kn="ಅವಳ ಶಿಕ್ಷಕಿ", bn="তার শিক্ষিকা", ha="malamarta", am="መምህሯ"),
                        L(kn="ಯಾರೂ ಬರಲಿಲ್ಲ", bn="কেউ আসেনি", ha="babu kowa", am="ማንም አልመጣም")),
     "answer": "a", "feedback": {"correct": RIGHT, "incorrect": AGAIN}},
    {"id": "grandmother-said", "type": "single_choice",
     "prompt": L(kn="ಕೊನೆಯಲ್ಲಿ ಅಜ್ಜಿ ಏನು ಹೇಳಿದರು?", bn="শেষে দিদিমা কী বললেন?",
                 ha="Me kakar ta faɗa a ƙarshe?", am="በመጨረሻ አያቷ ምን አሉ?"),
     "choices": choices(L(kn="ಪ್ರತಿದಿನದ ಸಣ್ಣ ಹನಿಗಳು ದೊಡ್ಡ ತೋಟವನ್ನು ಮಾಡುತ್ತವೆ.",
                          bn="রোজকার ছোট ছোট ফোঁটা মিলে বড় বাগান হয়।",
                          ha="Ƙananan ɗigon ruwa kowace rana suna yin babban lambu.",
                          am="በየቀኑ የሚወድቁ ትናንሽ ጠብታዎች ትልቅ የአትክልት ቦታ ይሠራሉ።"),
                        L(kn="ಮಳೆ ಕೆಟ್ಟದು.", bn="বৃষ্টি খারাপ।", ha="Ruwan sama ba shi da kyau.",
                          am="ዝናብ መጥፎ ነው።")),
     "answer": "a", "feedback": {"correct": RIGHT, "incorrect": AGAIN}},
], "mastery": {"correct": 2, "of": 3}}

_FEELINGS = choices(L(kn="ಸಂತೋಷ", bn="আনন্দ", ha="farin ciki", am="ደስታ"),
                    L(kn="ದುಃಖ", bn="দুঃখ", ha="baƙin ciki", am="ሐዘን"),
                    L(kn="ಭಯ", bn="ভয়", ha="tsoro", am="ፍርሃት"))
FEELINGS = {"questions": [
    {"id": "new-ball", "type": "single_choice",
     "prompt": L(kn="ಜವಾದಿಗೆ ಉಡುಗೊರೆಯಾಗಿ ಹೊಸ ಚೆಂಡು ಸಿಕ್ಕಿದೆ. ಅವಳು ನಗುತ್ತಾ ಕುಣಿಯುತ್ತಿದ್ದಾಳೆ. "
                    "ಅವಳಿಗೆ ಹೇಗೆ ಅನಿಸುತ್ತಿರಬಹುದು?",
                 bn="জাওয়াদি উপহার হিসেবে একটা নতুন বল পেয়েছে। সে হাসছে আর লাফাচ্ছে। তার কেমন লাগছে?",
                 ha="An ba Zawadi sabuwar ƙwallo kyauta. Tana murmushi tana tsalle. Me take ji?",
                 am="ዛዋዲ አዲስ ኳስ በስጦታ አገኘች። እየሳቀች ትዘልላለች። ምን ይሰማታል?"),
     "choices": _FEELINGS, "answer": "a", "feedback": {"correct": KIND, "incorrect": THINK}},
    {"id": "lost-dog", "type": "single_choice",
     "prompt": L(kn="ಅಲಿಯ ನಾಯಿ ನಿನ್ನೆಯಿಂದ ಕಾಣೆಯಾಗಿದೆ. ಅವನ ಕಣ್ಣುಗಳು ಕಣ್ಣೀರಿನಿಂದ ತುಂಬಿವೆ. "
                    "ಅವನಿಗೆ ಹೇಗೆ ಅನಿಸುತ್ತಿರಬಹುದು?",
                 bn="আলির কুকুরটা কাল থেকে হারিয়ে গেছে। তার চোখ জলে ভরা। তার কেমন লাগছে?",
                 ha="Karen Ali ya ɓace tun jiya. Idanunsa cike suke da hawaye. Me yake ji?",
                 am="የአሊ ውሻ ከትናንት ጀምሮ ጠፍቷል። ዓይኖቹ በእንባ ተሞልተዋል። ምን ይሰማዋል?"),
     "choices": _FEELINGS, "answer": "b", "feedback": {"correct": KIND, "incorrect": THINK}},
    {"id": "storm", "type": "single_choice",
     "prompt": L(kn="ರಾತ್ರಿ ಜೋರಾಗಿ ಗುಡುಗಿತು. ಮೀನಾಳ ಎದೆ ವೇಗವಾಗಿ ಬಡಿಯುತ್ತಿದೆ, ಅವಳು ಅಡಗಿಕೊಳ್ಳಲು ಬಯಸುತ್ತಾಳೆ. "
                    "ಅವಳಿಗೆ ಹೇಗೆ ಅನಿಸುತ್ತಿರಬಹುದು?",
                 bn="রাতে জোরে বাজ পড়ল। মিনার বুক ধড়ফড় করছে আর সে লুকাতে চায়। তার কেমন লাগছে?",
                 ha="Da dare an yi tsawa mai ƙarfi. Zuciyar Mina tana bugawa da sauri, tana son ta ɓuya. "
                    "Me take ji?",
                 am="ሌሊት ኃይለኛ ነጎድጓድ ነበር። የሚና ልብ በፍጥነት ይመታል፤ መደበቅም ትፈልጋለች። ምን ይሰማታል?"),
     "choices": _FEELINGS, "answer": "c", "feedback": {"correct": KIND, "incorrect": THINK}},
], "mastery": {"correct": 2, "of": 3}}


def extend(spec: dict, texts: dict) -> dict:
    """Add the four languages to a pack spec: pack texts, topic titles, and the chosen groups.

    `texts` holds "title", "description", "topics" ({topic id: L}) and "groups" ({group id:
    {"title", "description", "tags", "exercise"?}}). Every other group keeps the pack's
    older languages only.
    """
    older = list(spec["languages"])
    spec["languages"] = older + NEW
    spec["title"].update(texts["title"])
    spec["description"].update(texts["description"])

    def topics(nodes):
        for node in nodes:
            node["title"].update(texts["topics"][node["id"]])
            topics(node.get("topics") or [])

    topics(spec["topics"])
    for group, res in spec["groups"].items():
        extra = texts["groups"].get(group)
        if extra is None:
            res["languages"] = older
            continue
        for key in ("title", "description", "tags"):
            res[key] = L({**res[key], **extra[key]})
        if "exercise" in extra:
            res["exercises"] = {lang: extra["exercise"] for lang in NEW}
    return spec
