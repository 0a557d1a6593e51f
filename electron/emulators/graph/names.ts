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
  { office: "Seattle HQ", city: "Seattle", country: "United States", usage: "US", lang: "en-US", street: "1 Contoso Way", postal: "98052", state: "WA" },
  { office: "London", city: "London", country: "United Kingdom", usage: "GB", lang: "en-GB", street: "2 Kingdom Street", postal: "W2 6BD", state: null },
  { office: "München", city: "München", country: "Germany", usage: "DE", lang: "de-DE", street: "Walter-Gropius-Straße 5", postal: "80807", state: "Bayern" },
  { office: "Paris La Défense", city: "Paris", country: "France", usage: "FR", lang: "fr-FR", street: "39 Quai du Président Roosevelt", postal: "92130", state: "Île-de-France" },
  { office: "São Paulo", city: "São Paulo", country: "Brazil", usage: "BR", lang: "pt-BR", street: "Av. Presidente Juscelino Kubitschek, 1909", postal: "04543-907", state: "SP" },
  { office: "Kraków", city: "Kraków", country: "Poland", usage: "PL", lang: "pl-PL", street: "ul. Kamieńskiego 51", postal: "30-644", state: "Małopolskie" },
  { office: "Tokyo", city: "Tokyo", country: "Japan", usage: "JP", lang: "ja-JP", street: "2-16-3 Konan, Minato-ku", postal: "108-0075", state: "Tokyo" },
  { office: "Bengaluru", city: "Bengaluru", country: "India", usage: "IN", lang: "en-IN", street: "Embassy Golf Links, Koramangala", postal: "560071", state: "Karnataka" },
];

export const TEAM_WORDS = [
  "Apollo", "Borealis", "Cobalt", "Delta", "Ember", "Fjord", "Glacier", "Helix", "Ion", "Juniper",
  "Kestrel", "Lumen", "Meridian", "Nimbus", "Orion", "Prism", "Quartz", "Río", "Sierra", "Tundra",
];

export const GUEST_DOMAINS = ["fabrikam.com", "contractors.example", "partner.co.uk", "gmail.com", "outlook.com", "univ-lyon.fr"];
