/**
 * A handful of real regions with the codes that appear in documents: the tax code (first two
 * digits of a ИНН and of a tax office code), the OKATO prefix (first two digits of a passport
 * series) and the passport department prefix. Names are given in the grammatical forms the
 * documents print, so no declension logic is needed.
 */
export interface Region {
  /** Tax region code: first 2 digits of ИНН/КПП and of the tax office code. */
  tax: string;
  /** OKATO code: first 2 digits of a passport series. */
  okato: string;
  /** «по г. Москве», «по Ярославской области» (dative, for tax office names). */
  dative: string;
  /** «ПО Г. МОСКВЕ», «ПО ЯРОСЛАВСКОЙ ОБЛ.» (for passport issuers). */
  mvd: string;
  /** Region name as used after a settlement in a birth place: «Ярославская обл.». */
  short: string;
  /** Main city (nominative) and a few towns. Empty `short` means a federal city. */
  capital: string;
  /** The main city in the genitive, as issuers print it: «ГОР. ЧЕЛЯБИНСКА». */
  capitalGenitive: string;
  towns: readonly string[];
  /** Districts of the capital in the prepositional case with «Р-НЕ» dropped: «ДЗЕРЖИНСКОМ». */
  districts: readonly string[];
  /** Villages/settlements for birth places. */
  villages: readonly string[];
  /** A street list for addresses. */
  streets: readonly string[];
  postcode: string;
}

export const REGIONS: readonly Region[] = [
  {
    tax: '77',
    okato: '45',
    dative: 'по г. Москве',
    mvd: 'ПО Г. МОСКВЕ',
    short: '',
    capital: 'Москва',
    capitalGenitive: 'Москвы',
    towns: [],
    districts: ['ТВЕРСКОМ', 'БАСМАННОМ', 'ПРЕСНЕНСКОМ', 'ХАМОВНИКИ', 'ДАНИЛОВСКОМ', 'ЛЮБЛИНО'],
    villages: [],
    streets: ['ул. Тверская', 'ул. Большая Якиманка', 'Ленинский пр-т', 'ул. Профсоюзная', 'ул. Новый Арбат'],
    postcode: '1',
  },
  {
    tax: '78',
    okato: '40',
    dative: 'по Санкт-Петербургу',
    mvd: 'ПО Г. САНКТ-ПЕТЕРБУРГУ И ЛЕНИНГРАДСКОЙ ОБЛ.',
    short: '',
    capital: 'Санкт-Петербург',
    capitalGenitive: 'Санкт-Петербурга',
    towns: [],
    districts: ['ВАСИЛЕОСТРОВСКОМ', 'ПЕТРОГРАДСКОМ', 'ФРУНЗЕНСКОМ', 'КИРОВСКОМ', 'НЕВСКОМ'],
    villages: [],
    streets: ['Невский пр-т', 'ул. Садовая', 'Московский пр-т', 'ул. Марата', 'Лиговский пр-т'],
    postcode: '19',
  },
  {
    tax: '76',
    okato: '78',
    dative: 'по Ярославской области',
    mvd: 'ПО ЯРОСЛАВСКОЙ ОБЛ.',
    short: 'Ярославская обл.',
    capital: 'Ярославль',
    capitalGenitive: 'Ярославля',
    towns: ['Рыбинск', 'Углич', 'Ростов', 'Переславль-Залесский'],
    districts: ['ДЗЕРЖИНСКОМ', 'ЗАВОЛЖСКОМ', 'КИРОВСКОМ', 'ЛЕНИНСКОМ'],
    villages: ['Красные Ткачи', 'Туношна', 'Дубки'],
    streets: ['ул. Свободы', 'пр-т Ленина', 'ул. Кирова', 'Московский пр-т'],
    postcode: '150',
  },
  {
    tax: '52',
    okato: '22',
    dative: 'по Нижегородской области',
    mvd: 'ПО НИЖЕГОРОДСКОЙ ОБЛ.',
    short: 'Нижегородская обл.',
    capital: 'Нижний Новгород',
    capitalGenitive: 'Нижнего Новгорода',
    towns: ['Дзержинск', 'Арзамас', 'Выкса', 'Кстово'],
    districts: ['СОВЕТСКОМ', 'НИЖЕГОРОДСКОМ', 'АВТОЗАВОДСКОМ', 'КАНАВИНСКОМ'],
    villages: ['Большое Мурашкино', 'Ветлуга', 'Сокольское'],
    streets: ['ул. Большая Покровская', 'ул. Рождественская', 'пр-т Гагарина'],
    postcode: '603',
  },
  {
    tax: '66',
    okato: '65',
    dative: 'по Свердловской области',
    mvd: 'ПО СВЕРДЛОВСКОЙ ОБЛ.',
    short: 'Свердловская обл.',
    capital: 'Екатеринбург',
    capitalGenitive: 'Екатеринбурга',
    towns: ['Нижний Тагил', 'Каменск-Уральский', 'Первоуральск', 'Серов'],
    districts: ['ВЕРХ-ИСЕТСКОМ', 'ЖЕЛЕЗНОДОРОЖНОМ', 'ОРДЖОНИКИДЗЕВСКОМ', 'ЛЕНИНСКОМ'],
    villages: ['Арамиль', 'Белоярский', 'Сысерть'],
    streets: ['ул. Малышева', 'пр-т Ленина', 'ул. 8 Марта', 'ул. Вайнера'],
    postcode: '620',
  },
  {
    tax: '54',
    okato: '50',
    dative: 'по Новосибирской области',
    mvd: 'ПО НОВОСИБИРСКОЙ ОБЛ.',
    short: 'Новосибирская обл.',
    capital: 'Новосибирск',
    capitalGenitive: 'Новосибирска',
    towns: ['Бердск', 'Искитим', 'Куйбышев', 'Обь'],
    districts: ['ЦЕНТРАЛЬНОМ', 'ЗАЕЛЬЦОВСКОМ', 'КАЛИНИНСКОМ', 'ОКТЯБРЬСКОМ'],
    villages: ['Колывань', 'Криводановка', 'Мочище'],
    streets: ['Красный пр-т', 'ул. Ленина', 'ул. Гоголя', 'ул. Фрунзе'],
    postcode: '630',
  },
  {
    tax: '16',
    okato: '92',
    dative: 'по Республике Татарстан',
    mvd: 'ПО РЕСПУБЛИКЕ ТАТАРСТАН',
    short: 'Респ. Татарстан',
    capital: 'Казань',
    capitalGenitive: 'Казани',
    towns: ['Набережные Челны', 'Нижнекамск', 'Альметьевск', 'Елабуга'],
    districts: ['ВАХИТОВСКОМ', 'ПРИВОЛЖСКОМ', 'СОВЕТСКОМ', 'МОСКОВСКОМ'],
    villages: ['Высокая Гора', 'Лаишево', 'Пестрецы'],
    streets: ['ул. Баумана', 'ул. Пушкина', 'ул. Чистопольская', 'пр-т Победы'],
    postcode: '420',
  },
  {
    tax: '23',
    okato: '03',
    dative: 'по Краснодарскому краю',
    mvd: 'ПО КРАСНОДАРСКОМУ КРАЮ',
    short: 'Краснодарский край',
    capital: 'Краснодар',
    capitalGenitive: 'Краснодара',
    towns: ['Сочи', 'Новороссийск', 'Армавир', 'Ейск'],
    districts: ['ЦЕНТРАЛЬНОМ', 'КАРАСУНСКОМ', 'ПРИКУБАНСКОМ', 'ЗАПАДНОМ'],
    villages: ['Динская', 'Северская', 'Полтавская'],
    streets: ['ул. Красная', 'ул. Северная', 'ул. Ставропольская', 'ул. Мира'],
    postcode: '350',
  },
  {
    tax: '63',
    okato: '36',
    dative: 'по Самарской области',
    mvd: 'ПО САМАРСКОЙ ОБЛ.',
    short: 'Самарская обл.',
    capital: 'Самара',
    capitalGenitive: 'Самары',
    towns: ['Тольятти', 'Сызрань', 'Новокуйбышевск', 'Чапаевск'],
    districts: ['ЛЕНИНСКОМ', 'ОКТЯБРЬСКОМ', 'ПРОМЫШЛЕННОМ', 'КИРОВСКОМ'],
    villages: ['Кинель-Черкассы', 'Красный Яр', 'Безенчук'],
    streets: ['ул. Куйбышева', 'ул. Ленинградская', 'Московское ш.', 'ул. Садовая'],
    postcode: '443',
  },
  {
    tax: '36',
    okato: '20',
    dative: 'по Воронежской области',
    mvd: 'ПО ВОРОНЕЖСКОЙ ОБЛ.',
    short: 'Воронежская обл.',
    capital: 'Воронеж',
    capitalGenitive: 'Воронежа',
    towns: ['Борисоглебск', 'Россошь', 'Лиски', 'Острогожск'],
    districts: ['ЦЕНТРАЛЬНОМ', 'ЛЕВОБЕРЕЖНОМ', 'КОМИНТЕРНОВСКОМ', 'СОВЕТСКОМ'],
    villages: ['Анна', 'Рамонь', 'Новая Усмань'],
    streets: ['пр-т Революции', 'ул. Плехановская', 'ул. Кольцовская', 'ул. 20-летия Октября'],
    postcode: '394',
  },
  {
    tax: '74',
    okato: '75',
    dative: 'по Челябинской области',
    mvd: 'ПО ЧЕЛЯБИНСКОЙ ОБЛ.',
    short: 'Челябинская обл.',
    capital: 'Челябинск',
    capitalGenitive: 'Челябинска',
    towns: ['Магнитогорск', 'Златоуст', 'Миасс', 'Копейск'],
    districts: ['КАЛИНИНСКОМ', 'КУРЧАТОВСКОМ', 'СОВЕТСКОМ', 'ТРАКТОРОЗАВОДСКОМ'],
    villages: ['Долгодеревенское', 'Кунашак', 'Еткуль'],
    streets: ['пр-т Ленина', 'ул. Кирова', 'ул. Свободы', 'Комсомольский пр-т'],
    postcode: '454',
  },
];

/** «г. Москва» for a federal city, else «г. Рыбинск Ярославская обл.» or «с. Дубки Ярославская обл.». */
export function cityWithRegion(r: Region, settlement: string, isVillage: boolean): string {
  const prefix = isVillage ? 'с.' : 'г.';
  return r.short ? `${prefix} ${settlement} ${r.short}` : `${prefix} ${settlement}`;
}
