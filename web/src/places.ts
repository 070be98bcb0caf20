// Place names in the reader's language. The registry keeps a province, city and country as the
// English (pinyin) name the member gave; this gazetteer holds China's 34 province-level divisions,
// the cities of the park network's members and the neighbouring large cities, and the countries
// of the foreign members, each in Simplified and Traditional Chinese (Hong Kong usage). A name it
// does not know is shown as given, never dropped.
import { lang } from './i18n'

type ChineseNames = readonly [zhHans: string, zhHant: string]

const provinces: Record<string, ChineseNames> = {
  Beijing: ['北京', '北京'], Tianjin: ['天津', '天津'], Hebei: ['河北', '河北'], Shanxi: ['山西', '山西'],
  'Inner Mongolia': ['内蒙古', '內蒙古'], Liaoning: ['辽宁', '遼寧'], Jilin: ['吉林', '吉林'],
  Heilongjiang: ['黑龙江', '黑龍江'], Shanghai: ['上海', '上海'], Jiangsu: ['江苏', '江蘇'],
  Zhejiang: ['浙江', '浙江'], Anhui: ['安徽', '安徽'], Fujian: ['福建', '福建'], Jiangxi: ['江西', '江西'],
  Shandong: ['山东', '山東'], Henan: ['河南', '河南'], Hubei: ['湖北', '湖北'], Hunan: ['湖南', '湖南'],
  Guangdong: ['广东', '廣東'], Guangxi: ['广西', '廣西'], Hainan: ['海南', '海南'],
  Chongqing: ['重庆', '重慶'], Sichuan: ['四川', '四川'], Guizhou: ['贵州', '貴州'], Yunnan: ['云南', '雲南'],
  Tibet: ['西藏', '西藏'], Shaanxi: ['陕西', '陝西'], Gansu: ['甘肃', '甘肅'], Qinghai: ['青海', '青海'],
  Ningxia: ['宁夏', '寧夏'], Xinjiang: ['新疆', '新疆'], Taiwan: ['台湾', '台灣'],
  'Hong Kong': ['香港', '香港'], Macao: ['澳门', '澳門'], Macau: ['澳门', '澳門'],
}

const cities: Record<string, ChineseNames> = {
  Changchun: ['长春', '長春'], Changsha: ['长沙', '長沙'], Changzhou: ['常州', '常州'], Chengdu: ['成都', '成都'],
  Dalian: ['大连', '大連'], Dongguan: ['东莞', '東莞'], Foshan: ['佛山', '佛山'], Fuzhou: ['福州', '福州'],
  Guangzhou: ['广州', '廣州'], Guiyang: ['贵阳', '貴陽'], Haikou: ['海口', '海口'], Hangzhou: ['杭州', '杭州'],
  Harbin: ['哈尔滨', '哈爾濱'], Hefei: ['合肥', '合肥'], Hengyang: ['衡阳', '衡陽'], Hohhot: ['呼和浩特', '呼和浩特'],
  Huizhou: ['惠州', '惠州'], Jinan: ['济南', '濟南'], Kunming: ['昆明', '昆明'], Langfang: ['廊坊', '廊坊'],
  Lanzhou: ['兰州', '蘭州'], Lhasa: ['拉萨', '拉薩'], Nanchang: ['南昌', '南昌'], Nanchong: ['南充', '南充'],
  Nanjing: ['南京', '南京'], Nanning: ['南宁', '南寧'], Ningbo: ['宁波', '寧波'], Qingdao: ['青岛', '青島'],
  Shenyang: ['沈阳', '瀋陽'], Shenzhen: ['深圳', '深圳'], Shijiazhuang: ['石家庄', '石家莊'],
  Suzhou: ['苏州', '蘇州'], Taiyuan: ['太原', '太原'], Tangshan: ['唐山', '唐山'], Urumqi: ['乌鲁木齐', '烏魯木齊'],
  Wuhan: ['武汉', '武漢'], Wuxi: ['无锡', '無錫'], "Xi'an": ['西安', '西安'], Xiamen: ['厦门', '廈門'],
  Xining: ['西宁', '西寧'], Yinchuan: ['银川', '銀川'], Zhengzhou: ['郑州', '鄭州'], Zhenjiang: ['镇江', '鎮江'],
  Zhuhai: ['珠海', '珠海'],
}

const countries: Record<string, ChineseNames> = {
  China: ['中国', '中國'], Australia: ['澳大利亚', '澳洲'], Canada: ['加拿大', '加拿大'], France: ['法国', '法國'],
  Germany: ['德国', '德國'], Israel: ['以色列', '以色列'], Japan: ['日本', '日本'], Netherlands: ['荷兰', '荷蘭'],
  Singapore: ['新加坡', '新加坡'], 'South Korea': ['韩国', '韓國'], 'Korea, Republic of': ['韩国', '韓國'],
  Switzerland: ['瑞士', '瑞士'], 'United Kingdom': ['英国', '英國'], 'United States': ['美国', '美國'],
  Unknown: ['未知', '未知'],
}

function inReadersLanguage(table: Record<string, ChineseNames>, given: string): string {
  const names = table[given.trim()]
  if (!names || lang.value === 'en') return given
  return lang.value === 'zh-Hans' ? names[0] : names[1]
}

// "广东 深圳" / "Shenzhen, Guangdong": the parts the member gave, in the reader's language and
// order (largest first in Chinese, smallest first in English), a city repeated as its own province
// (Beijing, Beijing) shown once.
export function placeName(place: { province?: string; city?: string; country?: string }): string {
  const parts: string[] = []
  if (place.country && place.country !== 'China') parts.push(inReadersLanguage(countries, place.country))
  if (place.province) parts.push(inReadersLanguage(provinces, place.province))
  if (place.city && place.city !== place.province) {
    parts.push(inReadersLanguage({ ...provinces, ...cities }, place.city))
  }
  return lang.value === 'en' ? parts.reverse().join(', ') : parts.join(' ')
}

// The province-level divisions an organisation may name, in the reader's language (for a form).
export function provinceChoices(): { value: string; label: string }[] {
  return Object.keys(provinces).filter((value) => value !== 'Macau')
    .map((value) => ({ value, label: inReadersLanguage(provinces, value) }))
}
