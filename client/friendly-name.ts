// A name for a first-time visitor, so nobody is stopped by a prompt before they see the room:
// adjective + animal ("Brave Otter"). Shown at once, changeable any time, remembered.
/** Exported for the test that every generated name fits the name box (e2e/ui-page.spec.ts). */
export const ADJECTIVES = [
  'Amber',
  'Brave',
  'Bright',
  'Calm',
  'Clever',
  'Cosmic',
  'Curious',
  'Daring',
  'Eager',
  'Gentle',
  'Golden',
  'Happy',
  'Jolly',
  'Kind',
  'Lucky',
  'Lively',
  'Mellow',
  'Merry',
  'Mighty',
  'Nimble',
  'Noble',
  'Plucky',
  'Quick',
  'Quiet',
  'Rapid',
  'Sunny',
  'Swift',
  'Tidy',
  'Witty',
  'Zesty',
];
export const ANIMALS = [
  'Badger',
  'Beaver',
  'Bison',
  'Crane',
  'Dolphin',
  'Eagle',
  'Falcon',
  'Ferret',
  'Fox',
  'Gecko',
  'Heron',
  'Ibis',
  'Jaguar',
  'Koala',
  'Lemur',
  'Lynx',
  'Marten',
  'Moose',
  'Narwhal',
  'Ocelot',
  'Otter',
  'Owl',
  'Panda',
  'Puffin',
  'Quokka',
  'Raven',
  'Seal',
  'Tapir',
  'Walrus',
  'Yak',
];

function pick<T>(list: readonly T[], random: () => number): T {
  const item = list[Math.floor(random() * list.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

export function friendlyName(random: () => number = Math.random): string {
  return `${pick(ADJECTIVES, random)} ${pick(ANIMALS, random)}`;
}
