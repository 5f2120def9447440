import { parseIsoDuration } from './duration';

describe('parseIsoDuration', () => {
  it.each([
    ['PT72H', 259_200],
    ['PT3S', 3],
    ['PT0S', 0],
    ['P1D', 86_400],
    ['P1W', 604_800],
    ['P1DT2H30M', 95_400],
    ['PT0.5S', 0.5],
  ])('reads %s as %d seconds', (text, seconds) => {
    expect(parseIsoDuration(text)).toBe(seconds);
  });

  it.each(['', 'P', 'PT', 'P1M', 'P1Y', '72H', 'PT-1S', 'P1DT', 'pt3s', 'PT3S '])('refuses %j', (text) => {
    expect(parseIsoDuration(text)).toBeUndefined();
  });
});
