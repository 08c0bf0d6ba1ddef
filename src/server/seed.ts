import type { Store } from './store/store.ts';

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
