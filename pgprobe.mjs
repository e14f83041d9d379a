const t=Date.now();
const { PGlite } = await import('@electric-sql/pglite');
console.log('import', Date.now()-t);
const db = await PGlite.create();
console.log('create', Date.now()-t);
const d = await db.dumpDataDir('none'); console.log('dump', Date.now()-t, d.size);
const db2 = await PGlite.create({loadDataDir: d}); console.log('load', Date.now()-t);
