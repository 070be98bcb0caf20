// Two languages, switched at run time; the choice is remembered in localStorage.
import { ref } from 'vue'

type Lang = 'zh' | 'en'
const saved = (typeof localStorage !== 'undefined' && localStorage.getItem('lang')) as Lang | null
export const lang = ref<Lang>(saved === 'en' ? 'en' : 'zh')

export function setLang(value: Lang) {
  lang.value = value
  localStorage.setItem('lang', value)
  document.documentElement.lang = value === 'zh' ? 'zh-Hans' : 'en'
}

const messages: Record<string, [string, string]> = {
  appName: ['ParkHub 园区平台', 'ParkHub'],
  organizations: ['机构', 'Organisations'],
  parks: ['园区', 'Parks'],
  memberships: ['入驻', 'Memberships'],
  people: ['人员', 'People'],
  alliances: ['联盟', 'Alliances'],
  login: ['登录', 'Log in'],
  logout: ['退出', 'Log out'],
  username: ['用户名', 'Username'],
  password: ['密码', 'Password'],
  search: ['搜索', 'Search'],
  searchPlaceholder: ['按任一名称搜索（简、繁、英）', 'Search any name (Simplified, Traditional, English)'],
  type: ['类型', 'Type'],
  region: ['地区', 'Region'],
  tag: ['标签', 'Tag'],
  any: ['全部', 'Any'],
  total: ['共', 'Total'],
  previous: ['上一页', 'Previous'],
  next: ['下一页', 'Next'],
  name: ['名称', 'Name'],
  nameZhHans: ['简体名称', 'Name (Simplified)'],
  nameZhHant: ['繁体名称', 'Name (Traditional)'],
  nameEn: ['英文名称', 'Name (English)'],
  city: ['城市', 'City'],
  province: ['省份', 'Province'],
  country: ['国家', 'Country'],
  website: ['网址', 'Website'],
  tags: ['标签（逗号分隔）', 'Tags (comma separated)'],
  edit: ['编辑', 'Edit'],
  save: ['保存', 'Save'],
  cancel: ['取消', 'Cancel'],
  saved: ['已保存', 'Saved'],
  state: ['状态', 'State'],
  park: ['园区', 'Park'],
  organization: ['机构', 'Organisation'],
  note: ['备注', 'Note'],
  moveTo: ['转为', 'Move to'],
  history: ['记录', 'History'],
  kind: ['类别', 'Kind'],
  affiliations: ['任职', 'Affiliations'],
  topics: ['方向', 'Topics'],
  members: ['成员', 'Members'],
  agreements: ['协议', 'Agreements'],
  signedOn: ['签署日期', 'Signed on'],
  scope: ['合作内容', 'Scope'],
  settledMembers: ['已入驻成员', 'Settled members'],
  byState: ['按状态', 'By state'],
  byTag: ['按标签（已入驻）', 'By tag (settled)'],
  byRegion: ['按地区（已入驻）', 'By region (settled)'],
  professionalParks: ['专业园区', 'Professional parks'],
  refused: ['无权执行此操作', 'You may not do this'],
  loading: ['加载中…', 'Loading…'],
  noResults: ['没有结果', 'No results'],
  signedInAs: ['当前用户', 'Signed in as'],
  language: ['语言', 'Language'],
  applied: ['已申请', 'Applied'],
  under_review: ['审核中', 'Under review'],
  agreement_signed: ['已签协议', 'Agreement signed'],
  settled: ['已入驻', 'Settled'],
  suspended: ['已暂停', 'Suspended'],
  withdrawn: ['已退出', 'Withdrawn'],
  mainland: ['内地', 'Mainland'],
  hong_kong: ['香港', 'Hong Kong'],
  macao: ['澳门', 'Macao'],
  foreign: ['境外', 'Foreign'],
  university: ['高校', 'University'],
  research_institute: ['研究院所', 'Research institute'],
  enterprise: ['企业', 'Enterprise'],
  professional_park: ['专业园区', 'Professional park'],
  alliance: ['联盟', 'Alliance'],
  investor: ['投资机构', 'Investor'],
  government_agency: ['政府机构', 'Government agency'],
  service_provider: ['服务机构', 'Service provider'],
  resources: ['共享设施', 'Facilities'],
  bookings: ['预约', 'Bookings'],
  book: ['预约', 'Book'],
  quote: ['报价', 'Quote'],
  date: ['日期', 'Date'],
  startTime: ['开始时间', 'Start time'],
  duration: ['时长（分钟）', 'Duration (minutes)'],
  bookFor: ['代表机构', 'On behalf of'],
  purpose: ['用途', 'Purpose'],
  week: ['本周占用', 'This week'],
  busy: ['已占用', 'Busy'],
  free: ['空闲', 'Free'],
  showViewerZone: ['按我的时区显示', 'Show in my time zone'],
  myBookings: ['我的预约', 'My bookings'],
  approvals: ['待审批', 'Approvals'],
  approve: ['批准', 'Approve'],
  reject: ['驳回', 'Reject'],
  cancel_booking: ['取消预约', 'Cancel booking'],
  booked: ['预约成功', 'Booked'],
  price: ['价格', 'Price'],
  rules: ['规则', 'Rules'],
  instrument: ['仪器', 'Instrument'],
  facility: ['设施', 'Facility'],
  pilot_line: ['中试线', 'Pilot line'],
  compute_pool: ['算力池', 'Compute pool'],
  pending: ['待审批', 'Pending'],
  approved: ['已批准', 'Approved'],
  held: ['暂留', 'Held'],
  checked_in: ['已签到', 'Checked in'],
  completed: ['已完成', 'Completed'],
  rejected: ['已驳回', 'Rejected'],
  cancelled: ['已取消', 'Cancelled'],
  no_show: ['未到', 'No-show'],
  previousWeek: ['上一周', 'Previous week'],
  nextWeek: ['下一周', 'Next week'],
  researcher: ['研究人员', 'Researcher'],
  expert: ['专家', 'Expert'],
  tech_transfer_manager: ['技术经理人', 'Technology-transfer manager'],
}

export function t(key: string): string {
  const entry = messages[key]
  if (!entry) return key
  return lang.value === 'zh' ? entry[0] : entry[1]
}

// The organisation's name in the current language, falling back to the others.
export function displayName(names: { zh_hans: string; zh_hant: string; en: string }): string {
  if (lang.value === 'zh') return names.zh_hans || names.zh_hant || names.en
  return names.en || names.zh_hans || names.zh_hant
}
