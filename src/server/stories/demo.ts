/**
 * Demo stories (written once, the first start with COMPA_DEMO on): partners' stories in one, two or three
 * languages (so that the feed shows its per-item fallback), with places, tags, a video as a click-to-load
 * placeholder, and illustrations drawn here as PNGs (the demo needs no file and no network).
 */
import { deflateSync, crc32 } from 'node:zlib';
import type { CompaContext } from '../context.ts';
import { excerpt, sanitizeStoryHtml } from './sanitize.ts';
import { slugify, storeImage } from './service.ts';

const drawn = new Map<string, Buffer>();

/** A PNG of a landscape (sky, hills, a river) in the given colours: a stand-in for a partner's photo. */
export function landscapePng(width: number, height: number, sky: [number, number, number], land: [number, number, number], seed: number): Buffer {
  const key = JSON.stringify([width, height, sky, land, seed]);
  return drawn.get(key) ?? drawn.set(key, draw(width, height, sky, land, seed)).get(key)!;
}

function draw(width: number, height: number, sky: [number, number, number], land: [number, number, number], seed: number): Buffer {
  const rows: Buffer[] = [];
  const hill = (x: number, k: number) => height * (0.45 + 0.12 * Math.sin((x / width) * Math.PI * (1.5 + k) + seed + k));
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      let c: [number, number, number];
      const river = Math.abs(x - width * (0.5 + 0.25 * Math.sin(y / 40 + seed))) < (y - height * 0.6) * 0.35;
      if (y < hill(x, 0) && y < hill(x, 1) + 30) {
        const t = y / height;
        c = [sky[0] + (255 - sky[0]) * t * 0.6, sky[1] + (255 - sky[1]) * t * 0.6, sky[2] + (255 - sky[2]) * t * 0.4];
      } else if (y > height * 0.6 && river) c = [70, 130, 180];
      else {
        const shade = y < hill(x, 1) + 30 ? 0.8 : 1;
        c = [land[0] * shade, land[1] * shade, land[2] * shade];
      }
      row.writeUInt8(Math.round(c[0]), 1 + x * 3);
      row.writeUInt8(Math.round(c[1]), 2 + x * 3);
      row.writeUInt8(Math.round(c[2]), 3 + x * 3);
    }
    rows.push(row);
  }
  const chunk = (type: string, data: Buffer) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, 'latin1');
    data.copy(out, 8);
    out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

type L = 'en' | 'es' | 'fr';
interface DemoStory {
  id: string;
  daysAgo: number;
  partner: string;
  country: string;
  region: string;
  tags: Partial<Record<L, string>>[];
  image: { sky: [number, number, number]; land: [number, number, number]; seed: number; alt: Partial<Record<L, string>> } | null;
  texts: Partial<Record<L, { title: string; body: string }>>;
}

const VIDEO = '<iframe src="https://www.youtube.com/embed/aqz-KE-bpKQ" title="Río Verde: the return" width="560" height="315"></iframe>';

const STORIES: DemoStory[] = [
  {
    id: 'rio-verde-returns-home',
    daysAgo: 2,
    partner: 'Consejo comunitario de Río Verde',
    country: 'CO',
    region: 'Chocó',
    tags: [{ en: 'Land', es: 'Territorio', fr: 'Territoire' }, { en: 'Return', es: 'Retorno', fr: 'Retour' }],
    image: { sky: [120, 170, 220], land: [60, 120, 60], seed: 1, alt: { en: 'Hills and a river at dawn', es: 'Colinas y un río al amanecer', fr: 'Des collines et une rivière à l’aube' } },
    texts: {
      en: {
        title: 'Río Verde returns home, eight years later',
        body: `<p>Forty-two families walked back to the land they were forced to leave in 2018. Our team walked with them, every step of the three-day journey.</p><p>“We are not afraid any more, because we are not alone,” says Luz Mery, one of the community’s leaders.</p>${VIDEO}<p>The return is fragile: armed groups still move along the river. International presence makes the difference between being seen and being silenced.</p>`,
      },
      es: {
        title: 'Río Verde vuelve a casa, ocho años después',
        body: `<p>Cuarenta y dos familias volvieron caminando a la tierra que tuvieron que dejar en 2018. Nuestro equipo caminó con ellas, cada paso de los tres días de viaje.</p><p>«Ya no tenemos miedo, porque no estamos solas», dice Luz Mery, una de las lideresas de la comunidad.</p>${VIDEO}<p>El retorno es frágil: los grupos armados siguen moviéndose por el río. La presencia internacional marca la diferencia entre ser vistas y ser silenciadas.</p>`,
      },
      fr: {
        title: 'Río Verde rentre chez elle, huit ans après',
        body: `<p>Quarante-deux familles sont revenues à pied sur la terre qu’elles avaient dû quitter en 2018. Notre équipe a marché avec elles, à chaque pas des trois jours de route.</p><p>« Nous n’avons plus peur, parce que nous ne sommes pas seules », dit Luz Mery, l’une des responsables de la communauté.</p>${VIDEO}<p>Le retour reste fragile : des groupes armés circulent encore le long du fleuve. La présence internationale fait la différence entre être vues et être réduites au silence.</p>`,
      },
    },
  },
  {
    id: 'la-voz-radio-stays-on',
    daysAgo: 6,
    partner: 'Radio comunitaria La Voz',
    country: 'CO',
    region: 'Cauca',
    tags: [{ es: 'Mujeres defensoras', en: 'Women defenders', fr: 'Défenseures' }, { es: 'Comunicación', en: 'Communication', fr: 'Communication' }],
    image: { sky: [230, 160, 110], land: [120, 90, 60], seed: 2, alt: { es: 'Montañas al atardecer' } },
    texts: {
      es: {
        title: 'Las mujeres de La Voz mantienen la radio encendida',
        body: '<p>Después de tres amenazas en un mes, las cinco mujeres que hacen la radio comunitaria La Voz decidieron no apagar los micrófonos.</p><p>Cada mañana leen las noticias de la vereda, los mensajes de las familias y, desde hace dos semanas, los nombres de quienes firmaron la acción urgente desde el extranjero.</p><p>«Cuando leemos esos nombres al aire, todo el mundo sabe que nos están mirando», cuenta Rosa.</p>',
      },
    },
  },
  {
    id: 'qeqchi-communities-map-their-land',
    daysAgo: 11,
    partner: 'Q’eqchi’ community association',
    country: 'GT',
    region: 'Alta Verapaz',
    tags: [{ en: 'Land', es: 'Territorio', fr: 'Territoire' }, { en: 'Indigenous peoples', es: 'Pueblos indígenas', fr: 'Peuples autochtones' }],
    image: { sky: [150, 190, 230], land: [40, 100, 70], seed: 3, alt: { en: 'A green valley under a clear sky', es: 'Un valle verde bajo un cielo despejado' } },
    texts: {
      en: {
        title: 'Mapping the land so no one can erase it',
        body: '<p>With GPS devices and paper maps, young people from twelve Q’eqchi’ communities are drawing the boundaries of the land their grandparents farmed.</p><p>The maps will go to court next year. Until then, accompaniment teams visit every week.</p>',
      },
      es: {
        title: 'Mapear la tierra para que nadie pueda borrarla',
        body: '<p>Con aparatos GPS y mapas de papel, jóvenes de doce comunidades q’eqchi’ dibujan los linderos de la tierra que cultivaron sus abuelos.</p><p>Los mapas llegarán al tribunal el próximo año. Hasta entonces, los equipos de acompañamiento las visitan cada semana.</p>',
      },
    },
  },
  {
    id: 'forty-days-peaceful-resistance',
    daysAgo: 17,
    partner: 'Comité de défense de la rivière',
    country: 'HN',
    region: 'Atlántida',
    tags: [{ fr: 'Eau', es: 'Agua', en: 'Water' }],
    image: null,
    texts: {
      fr: {
        title: 'Quarante jours de résistance pacifique au bord de la rivière',
        body: '<p>Depuis quarante jours, des familles se relaient jour et nuit au campement installé au bord de la rivière, pour empêcher les engins d’entrer.</p><p>Chaque soir, le comité publie la liste des personnes présentes : la visibilité est leur première protection.</p>',
      },
      es: {
        title: 'Cuarenta días de resistencia pacífica a la orilla del río',
        body: '<p>Desde hace cuarenta días, las familias se turnan día y noche en el campamento a la orilla del río para impedir la entrada de la maquinaria.</p><p>Cada tarde, el comité publica la lista de personas presentes: la visibilidad es su primera protección.</p>',
      },
    },
  },
  {
    id: 'water-committee-wins-in-court',
    daysAgo: 25,
    partner: 'Comité del agua de San Miguel',
    country: 'MX',
    region: 'Oaxaca',
    tags: [{ en: 'Water', es: 'Agua', fr: 'Eau' }, { en: 'Justice', es: 'Justicia', fr: 'Justice' }],
    image: { sky: [170, 200, 240], land: [150, 130, 80], seed: 4, alt: { en: 'Dry hills and a thin river', es: 'Cerros secos y un río delgado', fr: 'Des collines sèches et une mince rivière' } },
    texts: {
      en: {
        title: 'A water committee wins in court',
        body: '<p>After four years, a federal judge cancelled the permit that let a bottling plant draw water from San Miguel’s only spring.</p><p>The committee’s members received threats throughout the case. More than 3,000 people from 21 countries wrote to the authorities with them.</p>',
      },
      es: {
        title: 'Un comité del agua gana en el tribunal',
        body: '<p>Después de cuatro años, un juez federal anuló el permiso que dejaba a una embotelladora sacar agua del único manantial de San Miguel.</p><p>Las personas del comité recibieron amenazas durante todo el proceso. Más de 3.000 personas de 21 países escribieron a las autoridades con ellas.</p>',
      },
      fr: {
        title: 'Un comité de l’eau gagne devant la justice',
        body: '<p>Après quatre ans, un juge fédéral a annulé le permis qui laissait une usine d’embouteillage puiser l’eau de l’unique source de San Miguel.</p><p>Les membres du comité ont été menacés tout au long de la procédure. Plus de 3 000 personnes de 21 pays ont écrit aux autorités à leurs côtés.</p>',
      },
    },
  },
];

/** Writes the demo stories once. */
export async function seedDemoStories(ctx: CompaContext): Promise<boolean> {
  const { store } = ctx;
  if (await store.getMeta('demo_stories_seeded')) return false;
  const now = ctx.now();
  for (const s of STORIES) {
    const image = s.image ? await storeImage(ctx, landscapePng(480, 300, s.image.sky, s.image.land, s.image.seed)) : null;
    const texts = Object.fromEntries(
      Object.entries(s.texts).map(([lang, t]) => {
        const body = sanitizeStoryHtml(t.body, { baseUrl: `${ctx.config.publicUrl}/` });
        return [lang, { title: t.title, excerpt: excerpt(body.text, 200), body: body.html, link: null, words: body.words }];
      }),
    );
    await store.putStory({
      slug: s.id,
      source: 'demo',
      guid: s.id,
      texts,
      partner: { slug: slugify(s.partner), name: s.partner },
      country: s.country,
      region: { slug: slugify(s.region), name: s.region },
      tags: s.tags.map((labels) => ({ slug: slugify(labels.en ?? Object.values(labels)[0]!), labels: labels as Record<string, string> })),
      publishedAt: new Date(now.getTime() - s.daysAgo * 86_400_000),
      imageId: image?.id ?? null,
      imageAlt: s.image?.alt ?? {},
      publishFrom: null,
      withdrawAfter: null,
      mediaIds: image ? [image.id] : [],
      contentHash: s.id,
      restoreWithdrawn: false,
      now,
    });
  }
  await store.setMeta('demo_stories_seeded', now.toISOString());
  return true;
}
