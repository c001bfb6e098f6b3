/** The words the demo catalog builds realistic-looking names, labels and credits from. */

export const titleWords = {
  first: ['Midnight', 'Golden', 'Neon', 'Silent', 'Electric', 'Paper', 'Velvet', 'Broken', 'Summer', 'Lonely', 'Crystal', 'Wild', 'Slow', 'Northern', 'Burning', 'Hollow', 'Sweet', 'Violet', 'Faded', 'Runaway'],
  second: ['Hearts', 'Lights', 'Rivers', 'Echoes', 'Streets', 'Dreams', 'Satellites', 'Mirrors', 'Shadows', 'Horizons', 'Waves', 'Roses', 'Signals', 'Ghosts', 'Skylines', 'Promises', 'Tides', 'Fires', 'Letters', 'Highways'],
} as const;

export const firstNames = ['Ava', 'Leo', 'Maya', 'Noah', 'Zoe', 'Eli', 'Ines', 'Kai', 'Lena', 'Omar', 'Priya', 'Theo', 'Nina', 'Jonas', 'Sofia', 'Marcus', 'Yuki', 'Amara', 'Felix', 'Clara'] as const;
export const lastNames = ['Hart', 'Lindqvist', 'Moreau', 'Okafor', 'Reyes', 'Novak', 'Sato', 'Bennett', 'Kowalski', 'Haddad', 'Fischer', 'Costa', 'Walsh', 'Ibrahim', 'Larsen', 'Duval', 'Quinn', 'Mendes', 'Ahmed', 'Price'] as const;
export const bandWords = ['The Velvet Static', 'Paper Lanterns', 'Glass Animals Club', 'Northbound', 'Soft Machines', 'Lowtide', 'Satellite Youth', 'Mono Harbor', 'The Quiet Hours', 'Sundial'] as const;

export const labels = ['Atlantic Records', 'Columbia', 'Island Records', 'Interscope', 'XL Recordings', 'Sub Pop', 'Warp Records', 'Domino', 'Ninja Tune', 'Republic Records', 'Capitol Records', 'Secretly Canadian', 'Epitaph', 'Mom + Pop', 'Independent'] as const;
export const albumWords = ['Sessions', 'EP', 'Deluxe', 'Live at Home', 'Chapter II', 'Stories', 'Nights', 'Reissue'] as const;

/** ISRC parts: country code and registrant (ISO 3901: CC-XXX-YY-NNNNN). */
export const isrcCountries = ['US', 'GB', 'SE', 'DE', 'FR', 'NL', 'CA', 'AU'] as const;
export const isrcRegistrants = ['UM7', 'AT2', 'SM1', 'WA9', 'XLR', 'SUB', 'WRP', 'DMN', 'NJT', 'RPB'] as const;

export const curators = ['Spotify', 'Filtr', 'Topsify', 'Digster', 'indie.pulse', 'Lowkey Collective', 'Mood Radio', 'Sofa Sessions'] as const;
export const playlistMoods = ['Chill', 'Indie', 'Focus', 'Late Night', 'Workout', 'Acoustic', 'Fresh Finds', 'Throwback', 'Road Trip', 'Rainy Day'] as const;
export const playlistNouns = ['Mix', 'Vibes', 'Essentials', 'Radar', 'Hits', 'Picks', 'Rotation', 'Anthems'] as const;
