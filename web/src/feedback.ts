// Asking before what cannot be undone, and saying what was done: Element Plus's message box and
// message (a toast), worded in the reader's language.
import { ElMessage, ElMessageBox } from 'element-plus'
import 'element-plus/es/components/message/style/css'
import 'element-plus/es/components/message-box/style/css'
import { t } from './i18n'

// True when the user confirms `question`; false when they step back.
export async function confirmAction(question: string): Promise<boolean> {
  try {
    await ElMessageBox.confirm(question, t('pleaseConfirm'), {
      confirmButtonText: t('confirm'), cancelButtonText: t('back'), type: 'warning',
    })
    return true
  } catch {
    return false
  }
}

export function reportDone(what: string) {
  ElMessage({ message: what, type: 'success', duration: 3000 })
}
