import { measurePaymentsE2e } from './payments-e2e';
const c = Number(process.argv[2] ?? '1');
measurePaymentsE2e({ payments: 60, holds: 60, concurrency: c, serial: 30 }).then((r) => { for (const [k, m] of Object.entries(r.metrics)) console.log(k, m.value.toFixed(1)); process.exit(0); }, (e) => { console.error(e); process.exit(1); });
