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
