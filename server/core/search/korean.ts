/**
 * Korean and Chinese readings of a query, as the lists write them in Latin letters.
 *
 * OFAC and the UN write DPRK names in a McCune-Reischauer without diacritics ("KIM Jong Un", "RI Yong
 * Ho", "CHOE Ryong Hae", "THAE Yong Ho", "PHYONGYANG"); South Korean sources write Revised Romanization
 * ("Gim Jeong-eun", "Choi", "Lee"). A Hangul query is read syllable by syllable into every such spelling
 * (algorithmically: each syllable is an initial, a vowel and a final, 0xAC00 + (19 initials x 21 vowels x
 * 28 finals)); a Han (hanja) query is read through its Korean reading (a table, below) and as pinyin (the
 * `transliteration` package), since the same characters name Korean and Chinese parties.
 */
import { transliterate } from 'transliteration';

const HANGUL_FIRST = 0xac00;
const HANGUL_LAST = 0xd7a3;

/**
 * Spellings of each initial consonant: MR (k, t, p, ch; aspirated kh/th/ph as DPRK writes them) and RR
 * (g, d, b, j). ㄹ starts North Korean names as r (Ri, Ryu), South Korean ones as l, n or nothing (Lee, Yu).
 */
const INITIALS: readonly string[][] = [
  ['k', 'g'], ['kk', 'gg', 'k'], ['n'], ['t', 'd'], ['tt', 'dd'], ['r', 'l', 'n', ''], ['m'], ['p', 'b'], ['pp', 'bb'],
  ['s', 'sh'], ['ss', 's'], [''], ['j', 'ch'], ['jj', 'tch', 'ch'], ['ch'], ['k', 'kh'], ['t', 'th'], ['p', 'ph'], ['h'],
];
/** Vowels: MR's ŏ and ŭ lose their breve in the lists (o, u); RR writes eo and eu. */
const VOWELS: readonly string[][] = [
  ['a'], ['ae'], ['ya'], ['yae'], ['o', 'eo', 'u'], ['e'], ['yo', 'yeo'], ['ye'], ['o'], ['wa'], ['wae'], ['oe', 'oi'], ['yo'],
  ['u', 'oo'], ['wo'], ['we'], ['wi'], ['yu'], ['u', 'eu'], ['ui', 'i'], ['i'],
];
/** Finals as pronounced at the end of a syllable (MR and RR agree but for voicing). */
const FINALS: readonly string[][] = [
  [''], ['k', 'g'], ['k'], ['k'], ['n'], ['n'], ['n'], ['t', 'd'], ['l', 'r'], ['k'], ['m'], ['l'], ['l'], ['l'], ['p'], ['l'],
  ['m'], ['p', 'b'], ['p'], ['t', 's'], ['t'], ['ng'], ['t'], ['t'], ['k'], ['t'], ['p'], ['t', 'h'],
];

/**
 * Surnames whose usual spellings no rule gives (Lee, Park, Choi, ...): added to the rule's readings.
 * From the spellings of the DPRK entries of the OFAC and UN lists and common South Korean usage.
 */
const SURNAMES: Record<string, string[]> = {
  이: ['ri', 'li', 'lee', 'yi', 'rhee', 'i'], 리: ['ri', 'li', 'lee', 'yi', 'rhee'], 박: ['pak', 'park', 'bak'],
  최: ['choe', 'choi', 'chwe'], 김: ['kim', 'gim'], 정: ['jong', 'chong', 'jeong', 'cheong', 'jung', 'chung'],
  조: ['jo', 'cho'], 강: ['kang', 'gang'], 윤: ['yun', 'yoon'], 장: ['jang', 'chang'], 오: ['o', 'oh'],
  서: ['so', 'seo', 'suh'], 신: ['sin', 'shin'], 권: ['kwon', 'gwon'], 황: ['hwang'], 안: ['an', 'ahn'],
  송: ['song'], 류: ['ryu', 'yu', 'yoo', 'ryoo'], 유: ['yu', 'yoo'], 전: ['jon', 'chon', 'jeon', 'cheon', 'chun', 'jun'],
  홍: ['hong'], 고: ['ko', 'go'], 문: ['mun', 'moon'], 양: ['yang'], 량: ['ryang', 'yang'], 손: ['son', 'sohn'],
  배: ['pae', 'bae'], 백: ['paek', 'baek', 'paik'], 허: ['ho', 'heo', 'hur'], 노: ['no', 'noh', 'roh'], 로: ['ro', 'no', 'roh'],
  성: ['song', 'seong', 'sung'], 주: ['ju', 'chu', 'joo'], 우: ['u', 'woo'], 구: ['ku', 'gu', 'koo'], 림: ['rim', 'im', 'lim'],
  임: ['im', 'lim', 'rim'], 현: ['hyon', 'hyeon', 'hyun'], 태: ['thae', 'tae'], 명: ['myong', 'myeong', 'myung'],
  은: ['un', 'eun'], 일: ['il'], 용: ['yong', 'ryong'], 룡: ['ryong', 'yong'], 철: ['chol', 'cheol', 'chul'],
  석: ['sok', 'seok', 'suk'], 혁: ['hyok', 'hyeok', 'hyuk'], 영: ['yong', 'yeong', 'young'],
};

/** Every Latin spelling of one Hangul syllable, lowercase; [] for other characters. */
export function hangulSyllableReadings(ch: string): string[] {
  const code = ch.codePointAt(0)!;
  if (code < HANGUL_FIRST || code > HANGUL_LAST) return [];
  const n = code - HANGUL_FIRST;
  const initial = Math.floor(n / (21 * 28));
  const vowel = Math.floor((n % (21 * 28)) / 28);
  const final = n % 28;
  const out = new Set<string>(SURNAMES[ch] ?? []);
  for (const i of INITIALS[initial]) for (const v of VOWELS[vowel]) for (const f of FINALS[final]) out.add(i + v + f);
  out.delete('');
  return [...out];
}

/**
 * Korean readings (in Hangul) of the Han characters of the lists' original-script names (UN
 * NAME_ORIGINAL_SCRIPT, OFAC Consolidated ENHANCED_XML) and of the hanja most used in Korean names.
 * Characters with two readings (李: 리 in the North, 이 in the South) list both.
 */
const HAN_KOREAN_TABLE = `
三삼 业업 云운 产산 从종 份분 会회 會회 依의 信신 光광 公공 创창 務무 务무 司사 合합 商상 团단 團단 图도 圖도 國국 国국
圳천 大대 安안 市시 忠충 息식 技기 新신 旷광 易역이 曙서 有유 朝조 机기 機기 械계 沈심침 海해 深심 港항 湯탕 汤탕 疆강
社사 科과 联련 聯련 股고 船선 華화 华화 術술 术술 视시 視시 贸무 貿무 連련 连련 運운 运운 金김금 铁철 鐵철 長장 长장 限한
際제 际제 集집 香향 鲜선 鮮선 正정 恩은 日일 成성 哲철 男남 浩호 龍룡용 龙룡용 洙수 秀수 英영 永영 榮영 荣영 勇용 容용 鎬호
虎호 赫혁 革혁 明명 敏민 民민 文문 武무 學학 学학 淑숙 順순 顺순 姬희 熙희 喜희 希희 賢현 贤현 炫현 玄현 鉉현 鎭진 鎮진 珍진
眞진 真진 振진 進진 进진 東동 东동 元원 源원 遠원 远원 完완 春춘 植식 錫석 锡석 石석 碩석 德덕 道도 斗두 泰태 太태 昊호 好호
仁인 寅인 一일 逸일 吉길 基기 起기 奇기 在재 載재 才재 宰재 俊준 峻준 中중 重중 仲중 昌창 彰창 川천 天천 千천 徹철 清청 淸청
洪홍 弘홍 鴻홍 和화 花화 化화 煥환 焕환 桓환 孝효 勳훈 勋훈 薰훈 輝휘 辉휘 興흥 兴흥 河하 夏하 漢한 汉한 韓한 韩한 亨형 炯형
李리이 朴박 崔최 鄭정 郑정 姜강 趙조 赵조 尹윤 張장 张장 林림임 吳오 吴오 徐서 申신 權권 权권 黃황 黄황 宋송 柳류유 全전 田전
高고 梁량양 孫손 孙손 裵배 裴배 白백 許허 许허 南남 盧로노 卢로노 郭곽 車차 车차 朱주 禹우 具구 羅라나 罗라나 方방 池지 延연
秋추 都도 蔡채 邊변 边변 咸함 廉렴염 康강 龐방 房방 表표 卞변 魯로노 鲁로노 周주 奉봉 陳진 陈진 王왕 劉류유 刘류유 丁정 雪설
主주 善선 美미 玉옥 蓮련 莲련 柱주 洞동 松송 峰봉 鳳봉 凤봉 雲운 鶴학 鹤학 瑞서 世세 聖성 圣성 星성 誠성 诚성 盛성 守수 壽수
寿수 水수 純순 纯순 淳순 承승 勝승 胜승 昇승 時시 时시 始시 實실 实실 心심 岩암 愛애 爱애 良량양 亮량양 麗려 丽려 力력 烈렬
玲령 禮례 礼례 老로 祿록 樂락 乐락 蘭란 兰란 萬만 万만 滿만 满만 模모 茂무 默묵 博박 範범 范범 炳병 秉병 丙병 寶보 宝보 保보
福복 富부 夫부 山산 相상 尙상 尚상 常상 祥상 先선 宣선 燮섭 小소 昭소 素소 崇숭 岳악 任임 子자 慈자 章장 點점 点점 貞정 贞정
廷정 政정 庭정 晶정 靜정 静정 鍾종 鐘종 钟종 宗종 智지 志지 之지 芝지 直직 治치 七칠 宅택 平평 弼필 憲헌 宪헌 惠혜 慧혜 厚후
`;

const HAN_KOREAN = new Map<string, string[]>();
for (const entry of HAN_KOREAN_TABLE.split(/\s+/)) {
  const chars = [...entry];
  if (chars.length >= 2) HAN_KOREAN.set(chars[0], chars.slice(1));
}

export function isHan(ch: string): boolean {
  return /\p{Script=Han}/u.test(ch);
}

export function isHangul(ch: string): boolean {
  const code = ch.codePointAt(0)!;
  return code >= HANGUL_FIRST && code <= HANGUL_LAST;
}

/** Latin readings of one Han character: its Korean readings (each in every romanisation) and its pinyin. */
export function hanReadings(ch: string): string[] {
  const out = new Set<string>();
  for (const h of HAN_KOREAN.get(ch) ?? []) for (const r of hangulSyllableReadings(h)) out.add(r);
  const pinyin = transliterate(ch).toLowerCase().replace(/[^a-z0-9]/g, '');
  if (pinyin) out.add(pinyin);
  return [...out];
}

/** Whether the table knows a Korean reading of this Han character (for tests and the report). */
export function hasKoreanReading(ch: string): boolean {
  return HAN_KOREAN.has(ch);
}
