// Word lists for the directory generator. Names deliberately include diacritics, apostrophes,
// hyphens and non-Latin-1 letters: real tenants have them and they break naive mapping code.

export const GIVEN_NAMES = [
  "José", "Zoë", "Anaïs", "Björn", "Chloé", "Dagný", "Émile", "François", "Gülşen", "Håkon",
  "Inês", "Jürgen", "Kateřina", "Łukasz", "Mária", "Nuño", "Øystein", "Páraic", "Renée", "Søren",
  "Thérèse", "Ümit", "Vojtěch", "Wiktoria", "Xóchitl", "Yusuf", "Zdeněk", "Aoife", "Siobhán", "Dara",
  "Jane", "John", "Mary", "James", "Patricia", "Robert", "Linda", "Michael", "Sarah", "David",
  "Emma", "Oliver", "Ava", "Liam", "Mia", "Noah", "Sophia", "Lucas", "Amelia", "Ethan",
  "Priya", "Rahul", "Mei", "Hiroshi", "Yuki", "Min-jun", "Olusegun", "Chiamaka", "Kwame", "Fatima",
  "Mohammed", "Aisha", "Omar", "Leïla", "Dmitri", "Anastasia", "Giulia", "Matteo", "Lars", "Ingrid",
];

export const SURNAMES = [
  "Müller", "Ångström", "O'Brien", "D'Angelo", "García", "Núñez", "Fernández", "Søndergaard", "Łęcki", "Dvořák",
  "Håland", "Öztürk", "Şahin", "Čapek", "Nguyễn", "Lefèvre", "Brontë", "Gonçalves", "Mac Giolla Phádraig", "O'Connor",
  "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson", "Taylor",
  "Thomas", "Moore", "Martin", "Jackson", "White", "Harris", "Clark", "Lewis", "Walker", "Young",
  "Schmidt", "Schneider", "Fischer", "Weber", "Rossi", "Russo", "Bianchi", "Dubois", "Laurent", "Moreau",
  "Kowalski", "Nowak", "Ivanov", "Petrova", "Tanaka", "Suzuki", "Kim", "Park", "Chen", "Wang",
  "Patel", "Sharma", "Okafor", "Mensah", "Haddad", "Khan", "van der Berg", "de Vries", "Jensen", "Nielsen",
  "Smith-Jones", "Ó Súilleabháin",
];

export const DEPARTMENTS = [
  "Engineering", "Sales", "Marketing", "Finance", "Human Resources", "Support", "Legal", "Operations",
  "Research & Development", "IT", "Customer Success", "Product",
];

export const JOB_TITLES = [
  "Engineer", "Senior Engineer", "Account Executive", "Analyst", "Specialist", "Coordinator", "Consultant",
  "Designer", "Administrator", "Associate", "Technician", "Representative", "Architect", "Advisor",
];

export const OFFICES = [
  { office: "Seattle HQ", city: "Seattle", country: "United States", usage: "US", lang: "en-US" },
  { office: "London", city: "London", country: "United Kingdom", usage: "GB", lang: "en-GB" },
  { office: "München", city: "München", country: "Germany", usage: "DE", lang: "de-DE" },
  { office: "Paris La Défense", city: "Paris", country: "France", usage: "FR", lang: "fr-FR" },
  { office: "São Paulo", city: "São Paulo", country: "Brazil", usage: "BR", lang: "pt-BR" },
  { office: "Kraków", city: "Kraków", country: "Poland", usage: "PL", lang: "pl-PL" },
  { office: "Tokyo", city: "Tokyo", country: "Japan", usage: "JP", lang: "ja-JP" },
  { office: "Bengaluru", city: "Bengaluru", country: "India", usage: "IN", lang: "en-IN" },
];

export const TEAM_WORDS = [
  "Apollo", "Borealis", "Cobalt", "Delta", "Ember", "Fjord", "Glacier", "Helix", "Ion", "Juniper",
  "Kestrel", "Lumen", "Meridian", "Nimbus", "Orion", "Prism", "Quartz", "Río", "Sierra", "Tundra",
];

export const GUEST_DOMAINS = ["fabrikam.com", "contractors.example", "partner.co.uk", "gmail.com", "outlook.com", "univ-lyon.fr"];
