"""The inbox's masker in every language: numbers, e-mails, Telegram handles, street addresses, introduced names."""

import pytest

from bot.privacy import ADDRESS, EMAIL, HANDLE, NAME, NUMBER, PHONE, mask

CASES = {
    # Numbers, e-mails and handles, and the words before a number stay.
    "ru": [
        ("мой паспорт AA1234567, телефон +7 916 123-45-67", f"мой паспорт {NUMBER}, телефон {PHONE}"),
        ("код 123456 не работает", f"код {NUMBER} не работает"),
        ("пиши @ivan_petrov или t.me/ivan_petrov", f"пиши {HANDLE} или {HANDLE}"),
        ("почта ivan.petrov@mail.ru, ник @ivan", f"почта {EMAIL}, ник {HANDLE}"),
        ("живу ул. Ленина, д. 5, кв. 12 в Москве", f"живу {ADDRESS} в Москве"),
        ("живу на улице Ленина дом 5 квартира 3", f"живу на {ADDRESS}"),
        ("работаю Ленинский проспект 10 корп 2", f"работаю {ADDRESS}"),
        ("адрес: дом 5, кв. 12", f"адрес: {ADDRESS}"),
        ("меня зовут Иван Петров, мне 30 лет", f"меня зовут {NAME}, мне 30 лет"),
        ("Меня зовут иван и у меня забрали паспорт", f"Меня зовут {NAME} и у меня забрали паспорт"),
    ],
    "uz": [
        ("pasportim FA 123 45 67, telefonim 8 916 123 45 67", f"pasportim {NUMBER}, telefonim {PHONE}"),
        ("Men Navoiy ko'chasi 12-uy da yashayman", f"Men {ADDRESS} da yashayman"),
        ("manzil: Amir Temur ko‘chasi 5, kv 7", f"manzil: {ADDRESS}"),
        ("mening ismim Alisher Karimov va men Toshkentdanman", f"mening ismim {NAME} va men Toshkentdanman"),
        ("Ismim Dilnoza. Patent qancha?", f"Ismim {NAME}. Patent qancha?"),
        ("Telegramdagi nikim @dilnoza_99, patentim AB 1234567", f"Telegramdagi nikim {HANDLE}, patentim {NUMBER}"),
        ("менинг исмим Алишер, телеграм @alisher_k", f"менинг исмим {NAME}, телеграм {HANDLE}"),
    ],
    "tg": [
        ("ман дар кӯчаи Рӯдакӣ 12 зиндагӣ мекунам", f"ман дар {ADDRESS} зиндагӣ мекунам"),
        ("номи ман Фаррух Раҳимов аст", f"номи ман {NAME} аст"),
        ("шиносномаам A12345678 дар дасти корфармо", f"шиносномаам {NUMBER} дар дасти корфармо"),
        ("рақамам +992 93 123 4567", f"рақамам {PHONE}"),
        ("ба ман дар @farrukh_rahimov нависед ё t.me/farrukh_r", f"ба ман дар {HANDLE} нависед ё {HANDLE}"),
        ("ман дар кӯчаи Айнӣ 5, хонаи 12 зиндагӣ мекунам", f"ман дар {ADDRESS} зиндагӣ мекунам"),
    ],
    "ky": [
        ("Мен Киев көчөсү 5 үйдө жашайм", f"Мен {ADDRESS} үйдө жашайм"),
        ("иштеген жерим Чүй проспектиси 12", f"иштеген жерим {ADDRESS}"),
        ("менин атым Айбек Токтогулов, мен Ошто", f"менин атым {NAME}, мен Ошто"),
        ("паспорт ID0123456, почта aibek@mail.kg", f"паспорт {NUMBER}, почта {EMAIL}"),
        ("мага @aibek_t ке жазыңыз", f"мага {HANDLE} ке жазыңыз"),
        ("паспортум AN1234567 кожоюнда", f"паспортум {NUMBER} кожоюнда"),
    ],
}


@pytest.mark.parametrize("language,text,masked", [(language, text, masked) for language, cases in CASES.items()
                                                  for text, masked in cases])
def test_personal_data_is_masked_and_the_rest_kept(language, text, masked):
    assert mask(text) == masked


@pytest.mark.parametrize("text", [
    "улица Ленина — где миграционный центр?",  # a street without a house number names no one
    "на 8 марта выходной?",
    "мне 25 лет, патент стоит 7500",
    "где проспект Мира?",
    "Navoiy ko'chasida MFC bormi?",
    "номи ман чист? патент чанд пул аст",  # no name follows: the question stays whole
    "email@ — это что?",
])
def test_ordinary_questions_are_left_alone(text):
    assert mask(text) == text


def test_the_word_before_a_number_is_never_swallowed():
    for word in ("код", "номер", "на", "за", "мой", "men", "ман", "мен"):
        assert mask(f"{word} 1234567").startswith(f"{word} ")
