"""The Kannada, Bengali, Hausa and Amharic texts of each bundled pack (see new_languages)."""
from __future__ import annotations

from .build import L
from .new_languages import COUNTING, FEELINGS, QUIZ_TAG, SEEDS

NUMBERS = {
    "title": L(kn="ಸಂಖ್ಯೆಗಳು ಮತ್ತು ಆಕಾರಗಳು", bn="সংখ্যা ও আকার", ha="Lambobi da siffofi", am="ቁጥሮችና ቅርጾች"),
    "description": L(kn="ಇಪ್ಪತ್ತರವರೆಗೆ ಎಣಿಕೆ, ಕೂಡುವಿಕೆ ಮತ್ತು ನಮ್ಮ ಸುತ್ತಲಿನ ಆಕಾರಗಳು.",
                     bn="কুড়ি পর্যন্ত গোনা, যোগ করা আর আমাদের চারপাশের আকার।",
                     ha="Ƙidaya har zuwa ashirin, tarawa, da siffofin da ke kewaye da mu.",
                     am="እስከ ሃያ መቁጠር፣ መደመር እና በዙሪያችን ያሉ ቅርጾች።"),
    "topics": {
        "numbers": L(kn="ಸಂಖ್ಯೆಗಳು", bn="সংখ্যা", ha="Lambobi", am="ቁጥሮች"),
        "counting": L(kn="ಎಣಿಕೆ", bn="গোনা", ha="Ƙidaya", am="መቁጠር"),
        "adding": L(kn="ಕೂಡುವಿಕೆ", bn="যোগ", ha="Tarawa", am="መደመር"),
        "shapes": L(kn="ಆಕಾರಗಳು", bn="আকার", ha="Siffofi", am="ቅርጾች"),
    },
    "groups": {
        "count-to-ten": {
            "title": L(kn="ಹತ್ತರವರೆಗೆ ಮತ್ತು ಅದರಾಚೆ ಎಣಿಕೆ", bn="দশ পর্যন্ত আর তার পরে গোনা",
                       ha="Ƙidaya har zuwa goma da gaba", am="እስከ አስር እና ከዚያ በላይ መቁጠር"),
            "description": L(kn="ಮನೆಯಲ್ಲಿರುವ ವಸ್ತುಗಳನ್ನು ಒಂದೊಂದಾಗಿ ಎಣಿಸು, ನಂತರ ಇಪ್ಪತ್ತರವರೆಗೆ ಮುಂದುವರಿಸು.",
                             bn="বাড়ির জিনিস একটা একটা করে গোনো, তারপর কুড়ি পর্যন্ত গুনে যাও।",
                             ha="Ƙidaya abubuwan gida ɗaya bayan ɗaya, sannan ka ci gaba har zuwa ashirin.",
                             am="የቤት ዕቃዎችን አንድ በአንድ ቁጠሩ፤ ከዚያ እስከ ሃያ ቀጥሉ።"),
            "tags": L(kn=["ಎಣಿಕೆ", "ಸಂಖ್ಯೆಗಳು"], bn=["গোনা", "সংখ্যা"], ha=["ƙidaya", "lambobi"],
                      am=["መቁጠር", "ቁጥሮች"])},
        "counting-quiz": {
            "title": L(kn="ಎಣಿಕೆಯ ಪ್ರಶ್ನೆಗಳು", bn="গোনার প্রশ্ন", ha="Tambayoyin ƙidaya", am="የመቁጠር ጥያቄዎች"),
            "description": L(kn="ಎಣಿಕೆ ಮತ್ತು ಹೋಲಿಕೆಯ ಬಗ್ಗೆ ಮೂರು ಪ್ರಶ್ನೆಗಳು.",
                             bn="গোনা আর তুলনা নিয়ে তিনটি প্রশ্ন।",
                             ha="Tambayoyi uku game da ƙidaya da kwatanta lambobi.",
                             am="ስለ መቁጠርና ቁጥሮችን ስለ ማነጻጸር ሦስት ጥያቄዎች።"),
            "tags": L(kn=["ಎಣಿಕೆ", QUIZ_TAG["kn"]], bn=["গোনা", QUIZ_TAG["bn"]],
                      ha=["ƙidaya", QUIZ_TAG["ha"]], am=["መቁጠር", QUIZ_TAG["am"]]),
            "exercise": COUNTING},
    },
}

READING = {
    "title": L(kn="ಒಟ್ಟಿಗೆ ಓದೋಣ", bn="একসাথে পড়ি", ha="Mu karanta tare", am="አብረን እናንብብ"),
    "description": L(kn="ಜೋರಾಗಿ ಹೇಳಲು ಅಕ್ಷರಗಳು ಮತ್ತು ಧ್ವನಿಗಳು, ಮತ್ತು ಪ್ರಶ್ನೆಗಳೊಂದಿಗೆ ಚಿಕ್ಕ ಕಥೆಗಳು.",
                     bn="জোরে বলার মতো অক্ষর আর ধ্বনি, আর প্রশ্নসহ ছোট গল্প।",
                     ha="Haruffa da sautuka don a faɗa da ƙarfi, da gajerun labarai tare da tambayoyi.",
                     am="ጮክ ብለን የምንላቸው ፊደሎችና ድምፆች፣ እንዲሁም ጥያቄ ያላቸው አጫጭር ታሪኮች።"),
    "topics": {
        "letters": L(kn="ಅಕ್ಷರಗಳು ಮತ್ತು ಧ್ವನಿಗಳು", bn="অক্ষর আর ধ্বনি", ha="Haruffa da sautuka",
                     am="ፊደሎችና ድምፆች"),
        "stories": L(kn="ಕಥೆಗಳು", bn="গল্প", ha="Labarai", am="ታሪኮች"),
        "thirsty-seeds": L(kn="ಅಮಲ್ ಮತ್ತು ಬಾಯಾರಿದ ಬೀಜಗಳು", bn="আমাল আর তৃষ্ণার্ত বীজ",
                           ha="Amal da irin da ke jin ƙishirwa", am="አማል እና የተጠሙት ዘሮች"),
        "lost-sandal": L(kn="ಸಾಮಿಯ ಚಪ್ಪಲಿ ಎಲ್ಲಿದೆ?", bn="সামির চটি কোথায়?", ha="Ina takalmin Sami?",
                         am="የሳሚ ነጠላ ጫማ የት ነው?"),
    },
    "groups": {
        "story-seeds": {
            "title": L(kn="ಅಮಲ್ ಮತ್ತು ಬಾಯಾರಿದ ಬೀಜಗಳು", bn="আমাল আর তৃষ্ণার্ত বীজ",
                       ha="Amal da irin da ke jin ƙishirwa", am="አማል እና የተጠሙት ዘሮች"),
            "description": L(kn="ಒಣ ವಾರ, ಭಾರವಾದ ಡಬ್ಬಿ ಮತ್ತು ಒಳ್ಳೆಯ ಗೆಳೆಯನ ಕಥೆ.",
                             bn="এক শুকনো সপ্তাহ, একটা ভারী কৌটো আর এক ভালো বন্ধুর গল্প।",
                             ha="Labari game da mako mai bushewa, gwangwani mai nauyi da aboki nagari.",
                             am="ስለ ደረቅ ሳምንት፣ ስለ ከባድ ጣሳና ስለ ጥሩ ጓደኛ የሚናገር ታሪክ።"),
            "tags": L(kn=["ಕಥೆ", "ಓದು"], bn=["গল্প", "পড়া"], ha=["labari", "karatu"], am=["ታሪክ", "ንባብ"])},
        "seeds-quiz": {
            "title": L(kn="ಬೀಜಗಳ ಕಥೆಯ ಪ್ರಶ್ನೆಗಳು", bn="বীজের গল্পের প্রশ্ন", ha="Tambayoyi kan labarin iri",
                       am="ስለ ዘሮቹ ታሪክ ጥያቄዎች"),
            "description": L(kn="ಅಮಲ್ ಕಥೆಯ ಬಗ್ಗೆ ಮೂರು ಪ್ರಶ್ನೆಗಳು.", bn="আমালের গল্প নিয়ে তিনটি প্রশ্ন।",
                             ha="Tambayoyi uku game da labarin Amal.", am="ስለ አማል ታሪክ ሦስት ጥያቄዎች።"),
            "tags": L(kn=["ಓದು", QUIZ_TAG["kn"]], bn=["পড়া", QUIZ_TAG["bn"]], ha=["karatu", QUIZ_TAG["ha"]],
                      am=["ንባብ", QUIZ_TAG["am"]]),
            "exercise": SEEDS},
    },
}

WELLBEING = {
    "title": L(kn="ಒಟ್ಟಿಗೆ ಚೆನ್ನಾಗಿರೋಣ", bn="একসাথে ভালো থাকি", ha="Mu ji daɗi tare", am="አብረን ደኅና እንሁን"),
    "description": L(kn="ಭಾವನೆಗಳನ್ನು ಹೆಸರಿಸುವುದು, ಗೆಳೆತನ, ಸಹಾಯ ಕೇಳುವುದು ಮತ್ತು ನಿಧಾನ ಉಸಿರಾಟದಿಂದ ಶಾಂತವಾಗುವುದು.",
                     bn="অনুভূতির নাম দেওয়া, বন্ধু বানানো, সাহায্য চাওয়া আর ধীরে শ্বাস নিয়ে শান্ত হওয়া।",
                     ha="Sanin sunayen abin da muke ji, yin abokai, neman taimako da samun nutsuwa ta "
                        "hanyar numfashi a hankali.",
                     am="ስሜቶችን መሰየም፣ ጓደኛ ማፍራት፣ እርዳታ መጠየቅ እና በቀስታ በመተንፈስ መረጋጋት።"),
    "topics": {
        "feelings": L(kn="ಭಾವನೆಗಳು", bn="অনুভূতি", ha="Abin da muke ji", am="ስሜቶች"),
        "together": L(kn="ಗೆಳೆಯರು ಮತ್ತು ಸಹಾಯ", bn="বন্ধু আর সাহায্য", ha="Abokai da taimako", am="ጓደኞችና እርዳታ"),
        "friendship": L(kn="ಗೆಳೆತನ", bn="বন্ধুত্ব", ha="Abota", am="ጓደኝነት"),
        "asking-for-help": L(kn="ಸಹಾಯ ಕೇಳುವುದು", bn="সাহায্য চাওয়া", ha="Neman taimako", am="እርዳታ መጠየቅ"),
        "calm": L(kn="ಶಾಂತಿ", bn="শান্ত থাকা", ha="Nutsuwa", am="መረጋጋት"),
    },
    "groups": {
        "feelings": {
            "title": L(kn="ನಮ್ಮ ಭಾವನೆಗಳಿಗೆ ಹೆಸರು ಕೊಡೋಣ", bn="আমাদের অনুভূতির নাম",
                       ha="Sunayen abubuwan da muke ji", am="ስሜቶቻችንን መሰየም"),
            "description": L(kn="ಸಂತೋಷ, ದುಃಖ, ಕೋಪ, ಭಯ: ಎಲ್ಲಾ ಭಾವನೆಗಳೂ ಸರಿ, ಮತ್ತು ಮಾತುಗಳು ಸಹಾಯ ಮಾಡುತ್ತವೆ.",
                             bn="আনন্দ, দুঃখ, রাগ, ভয়: সব অনুভূতিই ঠিক আছে, আর কথা বললে সাহায্য হয়।",
                             ha="Farin ciki, baƙin ciki, fushi, tsoro: kowane ji ya halatta, kuma kalmomi "
                                "suna taimakawa.",
                             am="ደስታ፣ ሐዘን፣ ቁጣ፣ ፍርሃት፦ ሁሉም ስሜት ይፈቀዳል፤ ቃላትም ይረዳሉ።"),
            "tags": L(kn=["ಭಾವನೆಗಳು", "ಮನಸ್ಸು"], bn=["অনুভূতি", "মন"], ha=["ji", "zuciya"],
                      am=["ስሜቶች", "ልብ"])},
        "feelings-quiz": {
            "title": L(kn="ಭಾವನೆಗಳ ಪ್ರಶ್ನೆಗಳು", bn="অনুভূতির প্রশ্ন", ha="Tambayoyi kan abin da muke ji",
                       am="ስለ ስሜቶች ጥያቄዎች"),
            "description": L(kn="ಮಗುವಿಗೆ ಹೇಗೆ ಅನಿಸಬಹುದು? ಮೂರು ಪ್ರಶ್ನೆಗಳು.",
                             bn="একটি শিশুর কেমন লাগতে পারে? তিনটি প্রশ্ন।",
                             ha="Me yaro zai iya ji? Tambayoyi uku.", am="አንድ ልጅ ምን ሊሰማው ይችላል? ሦስት ጥያቄዎች።"),
            "tags": L(kn=["ಭಾವನೆಗಳು", QUIZ_TAG["kn"]], bn=["অনুভূতি", QUIZ_TAG["bn"]],
                      ha=["ji", QUIZ_TAG["ha"]], am=["ስሜቶች", QUIZ_TAG["am"]]),
            "exercise": FEELINGS},
    },
}
