import type { Store } from './store/store.ts';
import { sanitizeRichText } from './petitions/service.ts';

/** Demo content, written once (the first start with COMPA_DEMO on). */
export async function seedDemo(store: Store, now: Date): Promise<boolean> {
  if (await store.getMeta('demo_seeded')) return false;
  await store.transaction(async (tx) => {
    await tx.createList({
      slug: 'weekly-bulletin',
      isPublic: true,
      now,
      texts: {
        en: { name: 'Weekly bulletin', description: 'News from the communities and defenders we accompany, every Friday.' },
        es: { name: 'Boletín semanal', description: 'Noticias de las comunidades y personas defensoras que acompañamos, cada viernes.' },
        fr: { name: 'Bulletin hebdomadaire', description: 'Des nouvelles des communautés et des défenseur·es que nous accompagnons, chaque vendredi.' },
      },
    });
    await tx.createList({
      slug: 'urgent-actions',
      isPublic: true,
      now,
      texts: {
        en: { name: 'Urgent actions', description: 'When a partner is threatened: act within minutes, with one click.' },
        es: { name: 'Acciones urgentes', description: 'Cuando una organización acompañada recibe amenazas: actúa en minutos, con un clic.' },
        fr: { name: 'Actions urgentes', description: 'Quand un partenaire est menacé : agissez en quelques minutes, en un clic.' },
      },
    });
    await tx.createList({
      slug: 'board-internal',
      isPublic: false,
      now,
      texts: { en: { name: 'Board (internal)', description: 'Not offered on the website.' } },
    });
    await tx.setMeta('demo_seeded', now.toISOString());
  });
  return true;
}

/** Demo petitions, written once: an open urgent action with a deadline, and a closed one with its outcome. */
export async function seedDemoPetitions(store: Store, now: Date): Promise<boolean> {
  if (await store.getMeta('demo_petitions_seeded')) return false;
  const lists = await store.listLists({ publicOnly: false });
  const urgent = lists.find((l) => l.slug === 'urgent-actions');
  await store.transaction(async (tx) => {
    await tx.createPetition({
      slug: 'protect-rio-verde-defenders',
      status: 'open',
      goal: 5000,
      deadline: new Date(now.getTime() + 30 * 86_400_000),
      verification: 'none',
      lastName: 'optional',
      countThreshold: null,
      newsletterListId: urgent?.id ?? null,
      shareUrl: null,
      now,
      texts: {
        en: {
          title: 'Protect the water defenders of Río Verde',
          summary: 'Two community leaders received death threats after denouncing illegal mining. Ask the authorities to protect them now.',
          body: sanitizeRichText(`<p>On 14 November, <strong>two leaders of the Río Verde community council</strong> received threats by phone and in leaflets left at their homes, days after they denounced illegal mining upstream.</p>
<p>We ask the Minister to:</p><ul><li>put in place the collective protection measures the community asked for;</li><li>investigate the threats promptly and impartially;</li><li>guarantee the community's right to defend its water.</li></ul>
<p>Your signature shows that the world is watching.</p>`),
          target: 'the Minister of the Interior',
          outcome: null,
        },
        es: {
          title: 'Protejamos a las defensoras del agua de Río Verde',
          summary: 'Dos lideresas comunitarias recibieron amenazas de muerte tras denunciar la minería ilegal. Pide a las autoridades que las protejan ya.',
          body: sanitizeRichText(`<p>El 14 de noviembre, <strong>dos lideresas del consejo comunitario de Río Verde</strong> recibieron amenazas por teléfono y en panfletos dejados en sus casas, días después de denunciar la minería ilegal río arriba.</p>
<p>Pedimos al Ministro:</p><ul><li>aplicar las medidas de protección colectiva que pidió la comunidad;</li><li>investigar las amenazas con prontitud e imparcialidad;</li><li>garantizar el derecho de la comunidad a defender su agua.</li></ul>
<p>Tu firma demuestra que el mundo está mirando.</p>`),
          target: 'el Ministro del Interior',
          outcome: null,
        },
        fr: {
          title: 'Protégeons les défenseures de l’eau de Río Verde',
          summary: 'Deux dirigeantes communautaires ont reçu des menaces de mort après avoir dénoncé l’exploitation minière illégale. Demandez aux autorités de les protéger dès maintenant.',
          body: sanitizeRichText(`<p>Le 14 novembre, <strong>deux dirigeantes du conseil communautaire de Río Verde</strong> ont reçu des menaces par téléphone et par des tracts déposés chez elles, quelques jours après avoir dénoncé l’exploitation minière illégale en amont.</p>
<p>Nous demandons au ministre de :</p><ul><li>mettre en place les mesures de protection collective demandées par la communauté ;</li><li>enquêter sans délai et de façon impartiale sur les menaces ;</li><li>garantir le droit de la communauté à défendre son eau.</li></ul>
<p>Votre signature montre que le monde regarde.</p>`),
          target: 'le ministre de l’Intérieur',
          outcome: null,
        },
      },
    });
    await tx.createPetition({
      slug: 'release-maria-lopez',
      status: 'closed',
      goal: 2000,
      deadline: new Date(now.getTime() - 20 * 86_400_000),
      verification: 'email',
      lastName: 'required',
      countThreshold: 100,
      newsletterListId: urgent?.id ?? null,
      shareUrl: null,
      now,
      texts: {
        en: {
          title: 'Release human rights defender María López',
          summary: 'María López was detained for documenting forced evictions.',
          body: sanitizeRichText('<p>María López, a defender who documented forced evictions, was detained without charge.</p>'),
          target: 'the Attorney General',
          outcome: 'Good news: María López was released on 2 November. Thank you to everyone who signed and shared.',
        },
        es: {
          title: 'Liberen a la defensora de derechos humanos María López',
          summary: 'María López fue detenida por documentar desalojos forzosos.',
          body: sanitizeRichText('<p>María López, defensora que documentó desalojos forzosos, fue detenida sin cargos.</p>'),
          target: 'la Fiscal General',
          outcome: 'Buenas noticias: María López quedó en libertad el 2 de noviembre. Gracias a todas las personas que firmaron y compartieron.',
        },
        fr: {
          title: 'Libérez la défenseure des droits humains María López',
          summary: 'María López a été détenue pour avoir documenté des expulsions forcées.',
          body: sanitizeRichText('<p>María López, défenseure qui documentait des expulsions forcées, a été détenue sans inculpation.</p>'),
          target: 'la procureure générale',
          outcome: 'Bonne nouvelle : María López a été libérée le 2 novembre. Merci à toutes celles et ceux qui ont signé et partagé.',
        },
      },
    });
    await tx.setMeta('demo_petitions_seeded', now.toISOString());
  });
  return true;
}

/** A day `days` from `now`, at `hourUtc`:00 UTC (demo webinars keep realistic times whenever the demo starts). */
function dayAt(now: Date, days: number, hourUtc: number): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + days, hourUtc));
}

const DEMO_SERIES = 'accompaniment-school';

/**
 * Demo webinars, written once: a future one held in Spanish with interpretation into English and French (with
 * custom questions), one nearly full (3 places left), and a past one with its recording.
 */
export async function seedDemoWebinars(store: Store, now: Date): Promise<boolean> {
  if (await store.getMeta('demo_webinars_seeded')) return false;
  const speakers = (org: Record<'en' | 'es' | 'fr', string>, lang: 'en' | 'es' | 'fr') => [
    { name: 'Luz Mery Ríos', organisation: org[lang], photoUrl: '/demo/media/luz-mery-rios.svg' },
    { name: 'Tomás Herrera', organisation: { en: 'Accompaniment team', es: 'Equipo de acompañamiento', fr: 'Équipe d’accompagnement' }[lang], photoUrl: null },
  ];
  const council = { en: 'Río Verde community council', es: 'Consejo comunitario de Río Verde', fr: 'Conseil communautaire de Río Verde' };
  const questions = (lang: 'en' | 'es' | 'fr') =>
    ({
      en: {
        organisation: { label: 'Your organisation (if any)' },
        role: { label: 'You join as…', options: { supporter: 'An individual supporter', journalist: 'A journalist', organisation: 'Part of an organisation' } },
        captions: { label: 'I would like live captions' },
      },
      es: {
        organisation: { label: 'Tu organización (si tienes)' },
        role: { label: 'Participas como…', options: { supporter: 'Persona que apoya a título individual', journalist: 'Periodista', organisation: 'Parte de una organización' } },
        captions: { label: 'Quiero subtítulos en directo' },
      },
      fr: {
        organisation: { label: 'Votre organisation (le cas échéant)' },
        role: { label: 'Vous participez en tant que…', options: { supporter: 'Soutien à titre individuel', journalist: 'Journaliste', organisation: 'Membre d’une organisation' } },
        captions: { label: 'Je souhaite des sous-titres en direct' },
      },
    })[lang];
  await store.transaction(async (tx) => {
    const first = dayAt(now, 10, 15); // 10:00 in Bogotá
    await tx.createWebinar({
      slug: 'defending-water-rio-verde',
      series: DEMO_SERIES,
      status: 'published',
      heldIn: 'es',
      interpretation: ['en', 'fr'],
      start: first,
      end: new Date(first.getTime() + 90 * 60_000),
      timeZone: 'America/Bogota',
      capacity: 300,
      mode: 'open',
      joinUrl: 'https://meet.example.org/rio-verde-7f3k9q',
      recordingUrl: null,
      now,
      questions: [
        { id: 'organisation', kind: 'text', required: false, maxLength: 200 },
        { id: 'role', kind: 'choice', required: true, options: ['supporter', 'journalist', 'organisation'] },
        { id: 'captions', kind: 'checkbox', required: false },
      ],
      texts: {
        en: {
          title: 'Defending water in Río Verde: a conversation with the community council',
          description: 'Community leaders tell how they protect their river from illegal mining, and how supporters abroad can stand with them. Held in Spanish with interpretation into English and French.',
          speakers: speakers(council, 'en'),
          questions: questions('en'),
        },
        es: {
          title: 'Defender el agua en Río Verde: conversación con el consejo comunitario',
          description: 'Lideresas comunitarias cuentan cómo protegen su río de la minería ilegal y cómo pueden acompañarlas las personas que las apoyan desde otros países. En español, con interpretación al inglés y al francés.',
          speakers: speakers(council, 'es'),
          questions: questions('es'),
        },
        fr: {
          title: 'Défendre l’eau à Río Verde : rencontre avec le conseil communautaire',
          description: 'Des dirigeantes communautaires racontent comment elles protègent leur rivière de l’exploitation minière illégale, et comment les soutiens à l’étranger peuvent les accompagner. En espagnol, avec interprétation en anglais et en français.',
          speakers: speakers(council, 'fr'),
          questions: questions('fr'),
        },
      },
    });
    const second = dayAt(now, 5, 17); // 18:00 in Madrid (19:00 in summer)
    const nearlyFull = await tx.createWebinar({
      slug: 'accompaniment-101',
      series: DEMO_SERIES,
      status: 'published',
      heldIn: 'en',
      interpretation: ['es'],
      start: second,
      end: new Date(second.getTime() + 60 * 60_000),
      timeZone: 'Europe/Madrid',
      capacity: 30,
      mode: 'open',
      joinUrl: 'https://meet.example.org/accompaniment-101-q8w2',
      recordingUrl: null,
      now,
      questions: [],
      texts: {
        en: {
          title: 'Protective accompaniment 101',
          description: 'What international accompaniment is, why presence protects, and what you can do from home. A one-hour introduction for new supporters.',
          speakers: [{ name: 'Tomás Herrera', organisation: 'Accompaniment team', photoUrl: null }],
          questions: {},
        },
        es: {
          title: 'Acompañamiento protector: introducción',
          description: 'Qué es el acompañamiento internacional, por qué la presencia protege y qué puedes hacer desde casa. Una hora de introducción para nuevas personas que apoyan. En inglés, con interpretación al español.',
          speakers: [{ name: 'Tomás Herrera', organisation: 'Equipo de acompañamiento', photoUrl: null }],
          questions: {},
        },
        fr: {
          title: 'L’accompagnement protecteur, pour commencer',
          description: 'Ce qu’est l’accompagnement international, pourquoi la présence protège et ce que vous pouvez faire de chez vous. Une heure d’introduction pour les nouveaux soutiens. En anglais, avec interprétation en espagnol.',
          speakers: [{ name: 'Tomás Herrera', organisation: 'Équipe d’accompagnement', photoUrl: null }],
          questions: {},
        },
      },
    });
    // 27 of its 30 places are taken (placeholder registrants: the demo shows "3 places left").
    for (let i = 1; i <= 27; i++) {
      await tx.register({
        webinarId: nearlyFull,
        email: `demo-attendee-${i}@example.org`,
        name: `Demo attendee ${i}`,
        locale: 'en',
        answers: {},
        consentText: 'Demo placeholder registration',
        consentLocale: 'en',
        now,
        maxRepeatMailsPerDay: 0,
      });
    }
    const past = dayAt(now, -20, 16);
    await tx.createWebinar({
      slug: 'defenders-under-threat',
      series: null,
      status: 'published',
      heldIn: 'en',
      interpretation: [],
      start: past,
      end: new Date(past.getTime() + 75 * 60_000),
      timeZone: 'Europe/London',
      capacity: 500,
      mode: 'open',
      joinUrl: 'https://meet.example.org/defenders-under-threat-p2m4',
      recordingUrl: 'https://video.example.org/w/defenders-under-threat',
      now,
      questions: [],
      texts: {
        en: {
          title: 'Defenders under threat: the year in review',
          description: 'Our field teams look back on a year of accompaniment: the threats defenders faced, and what international pressure changed.',
          speakers: speakers(council, 'en'),
          questions: {},
        },
        es: {
          title: 'Personas defensoras amenazadas: balance del año',
          description: 'Nuestros equipos de terreno repasan un año de acompañamiento: las amenazas que enfrentaron las personas defensoras y lo que cambió la presión internacional.',
          speakers: speakers(council, 'es'),
          questions: {},
        },
        fr: {
          title: 'Défenseur·es menacé·es : le bilan de l’année',
          description: 'Nos équipes de terrain reviennent sur une année d’accompagnement : les menaces subies par les défenseur·es, et ce que la pression internationale a changé.',
          speakers: speakers(council, 'fr'),
          questions: {},
        },
      },
    });
    await tx.setMeta('demo_webinars_seeded', now.toISOString());
  });
  return true;
}
