// Presenter mode: a cookie the demo landing sets; while present, every page masks emails and ids.
export const PRESENTER_COOKIE = 'inlet_presenter';
/** The customer the demo plays (seeded by `npm start`). */
export const DEMO_PROVIDER_ID = 'acme';
