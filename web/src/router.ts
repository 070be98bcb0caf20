// The app's pages by URL (vue-router, hash history: the server serves one index.html and the
// URLs of the hand-written router it replaced, #/organizations/..., keep working). A page that
// shows one record gets its id as the `id` prop; views load lazily, each its own chunk.
import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router'

const withId = (path: string, component: RouteRecordRaw['component']): RouteRecordRaw =>
  ({ path, component, props: (to) => ({ id: String(to.params.id ?? '') }) }) as RouteRecordRaw

const routes: RouteRecordRaw[] = [
  { path: '/', component: () => import('./views/HomeView.vue') },
  { path: '/login', component: () => import('./views/LoginView.vue') },
  { path: '/organizations', component: () => import('./views/OrganizationsView.vue') },
  withId('/organizations/:id', () => import('./views/OrganizationView.vue')),
  { path: '/parks', component: () => import('./views/ParksView.vue') },
  { path: '/memberships', component: () => import('./views/MembershipsView.vue') },
  { path: '/people', component: () => import('./views/PeopleView.vue') },
  { path: '/alliances', component: () => import('./views/AlliancesView.vue') },
  { path: '/resources', component: () => import('./views/ResourcesView.vue') },
  withId('/resources/:id', () => import('./views/ResourceView.vue')),
  { path: '/bookings', component: () => import('./views/BookingsView.vue') },
  { path: '/notifications', component: () => import('./views/NotificationsView.vue') },
  { path: '/utilisation', component: () => import('./views/UtilisationView.vue') },
  { path: '/statements', component: () => import('./views/StatementView.vue') },
  { path: '/exchange', component: () => import('./views/ExchangeView.vue') },
  withId('/exchange/new', () => import('./views/ListingFormView.vue')),
  { path: '/exchange/mine', component: () => import('./views/MyListingsView.vue') },
  withId('/exchange/listings/:id', () => import('./views/ListingView.vue')),
  withId('/exchange/edit/:id', () => import('./views/ListingFormView.vue')),
  withId('/exchange/introductions/:id?', () => import('./views/IntroductionsView.vue')),
  { path: '/exchange/glossary', component: () => import('./views/GlossaryView.vue') },
  { path: '/governance', component: () => import('./views/GovernanceView.vue') },
  withId('/governance/new', () => import('./views/FlowRequestFormView.vue')),
  withId('/governance/edit/:id', () => import('./views/FlowRequestFormView.vue')),
  withId('/governance/requests/:id', () => import('./views/FlowRequestView.vue')),
  { path: '/governance/whitelist', component: () => import('./views/WhitelistView.vue') },
  { path: '/governance/ledger', component: () => import('./views/LedgerView.vue') },
  { path: '/governance/policies', component: () => import('./views/PoliciesView.vue') },
  withId('/governance/policies/:id', () => import('./views/PolicyVersionView.vue')),
  { path: '/competitions', component: () => import('./views/CompetitionsView.vue') },
  withId('/competitions/editions/:id', () => import('./views/EditionView.vue')),
  withId('/competitions/rounds/:id', () => import('./views/RoundView.vue')),
  withId('/certificates/:id', () => import('./views/CertificateView.vue')),
  { path: '/:unknown(.*)*', component: () => import('./views/NotFoundView.vue') },
]

export const router = createRouter({ history: createWebHashHistory(), routes })
