/**
 * What the report benches share: loading kloe's build (dist/), and an in-memory embedded database holding
 * the demo, with its inspection (all 15 KLOEs judged and rated) to report on.
 */
const dist = new URL('../dist/', import.meta.url);

/** A module of kloe's build, e.g. load('db/client.js'). */
export const load = (file) => import(new URL(file, dist).href);

export async function openDemoInspection() {
  const { openDatabase, IN_MEMORY } = await load('db/client.js');
  const { prepareDatabase } = await load('startup.js');
  const { assessments } = await load('modules/assessments/assessments.tables.js');
  const { DEMO_INSPECTION } = await load('modules/assessments/assessments.demo.js');
  const database = await openDatabase({ dataDir: IN_MEMORY });
  await prepareDatabase(database, { env: 'development', admin: undefined, baseUrl: 'http://localhost:3000' });
  const [inspection] = (await database.db.select().from(assessments)).filter((a) => a.title === DEMO_INSPECTION);
  return { database, inspection };
}
