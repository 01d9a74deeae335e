"""The words dataset items are made of, by theme: products and support actions, tickets and reviews,
tables, facts, science questions, names and headlines."""

PRODUCTS = ("Pro plan", "Team plan", "Starter plan", "mobile app", "API add-on", "annual subscription")
ACTIONS = (
    ("change the card on file", "Go to Settings > Billing > Payment method and choose Replace card."),
    (
        "get a refund for a duplicate charge",
        "Duplicate charges are refunded automatically within 5 business days.",
    ),
    (
        "cancel my subscription",
        "Open Settings > Plan and choose Cancel plan; access lasts until the period ends.",
    ),
    ("download an invoice", "Invoices are under Settings > Billing > History; each has a PDF link."),
    ("add a teammate", "Admins can invite teammates from Settings > Members > Invite."),
    ("reset my password", "Use Forgot password on the sign-in page; the link is valid for 30 minutes."),
    ("export my data", "Go to Settings > Data and choose Export; you get a ZIP by email."),
    ("change the billing email", "Edit the billing contact under Settings > Billing > Contact."),
    ("move to yearly billing", "Switch the plan to Annual in Settings > Plan; the difference is prorated."),
    ("enable two-factor authentication", "Turn it on under Profile > Security > Two-factor authentication."),
)
OPENERS = ("How do I", "Hi, how can I", "Can you tell me how to", "What's the way to", "I need to")
TICKETS = (
    ("I was charged twice for {product} this month.", "billing"),
    ("The {product} crashes when I upload a CSV over 10 MB.", "bug"),
    ("Could you add dark mode to the {product}?", "feature"),
    ("My invoice for the {product} shows the wrong VAT number.", "billing"),
    ("Export to PDF returns a blank page in the {product}.", "bug"),
    ("Please support SSO with Okta on the {product}.", "feature"),
    ("Is the {product} available in Portuguese?", "other"),
    ("Where can I find your security whitepaper?", "other"),
)
LABELS = ("billing", "bug", "feature", "other")
REVIEWS = (
    ("Setup took five minutes and support answered within the hour.", "positive"),
    ("The {product} keeps logging me out, very frustrating.", "negative"),
    ("It does what it says. Nothing more, nothing less.", "neutral"),
    ("Great value for the price, the reports save me hours.", "positive"),
    ("Billing was confusing and I was charged for seats I removed.", "negative"),
    ("Works fine on desktop; haven't tried the {product} yet.", "neutral"),
)
TABLES = (
    (
        "orders(id, customer_id, total, created_at)",
        "What was the total revenue in March 2026?",
        "SELECT SUM(total) FROM orders WHERE created_at >= '2026-03-01' AND created_at < '2026-04-01';",
    ),
    (
        "customers(id, name, country)",
        "How many customers are in Germany?",
        "SELECT COUNT(*) FROM customers WHERE country = 'Germany';",
    ),
    (
        "tickets(id, status, priority, opened_at)",
        "List the ids of open high-priority tickets.",
        "SELECT id FROM tickets WHERE status = 'open' AND priority = 'high';",
    ),
    (
        "orders(id, customer_id, total), customers(id, name)",
        "Which customer spent the most?",
        "SELECT c.name FROM customers c JOIN orders o ON o.customer_id = c.id "
        "GROUP BY c.name ORDER BY SUM(o.total) DESC LIMIT 1;",
    ),
    (
        "products(id, name, price, stock)",
        "Which products are out of stock?",
        "SELECT name FROM products WHERE stock = 0;",
    ),
)
FACTS = (
    (
        "Who wrote the novel 'Beloved'?",
        "Toni Morrison",
        "Beloved is a 1987 novel by Toni Morrison.",
        "Maya Angelou",
    ),
    (
        "What is the capital of Australia?",
        "Canberra",
        "Canberra became the capital of Australia in 1913.",
        "Sydney",
    ),
    (
        "Which planet has the most moons?",
        "Saturn",
        "Saturn has 146 confirmed moons, more than any other planet.",
        "Jupiter",
    ),
    ("In which year did the Berlin Wall fall?", "1989", "The Berlin Wall fell on 9 November 1989.", "1991"),
    (
        "What gas do plants absorb from the air?",
        "carbon dioxide",
        "Plants take in carbon dioxide for photosynthesis.",
        "oxygen",
    ),
    (
        "Who painted 'The Night Watch'?",
        "Rembrandt",
        "The Night Watch was painted by Rembrandt in 1642.",
        "Vermeer",
    ),
    (
        "What is the longest river in Africa?",
        "the Nile",
        "The Nile runs about 6,650 km through north-east Africa.",
        "the Congo",
    ),
    (
        "Which element has the symbol Fe?",
        "iron",
        "Fe, from the Latin ferrum, is the symbol of iron.",
        "fluorine",
    ),
    (
        "Which company makes the Opik platform?",
        "Comet",
        "Opik is an open-source LLM evaluation platform by Comet.",
        "OpenAI",
    ),
    ("How many bones are in the adult human body?", "206", "An adult human skeleton has 206 bones.", "212"),
    ("What is the smallest prime number?", "2", "2 is the only even prime and the smallest one.", "1"),
    (
        "Which ocean is the largest?",
        "the Pacific",
        "The Pacific covers about a third of the Earth's surface.",
        "the Atlantic",
    ),
    (
        "Who developed the theory of general relativity?",
        "Albert Einstein",
        "Einstein published general relativity in 1915.",
        "Isaac Newton",
    ),
    (
        "What is the hardest natural material?",
        "diamond",
        "Diamond scores 10 on the Mohs hardness scale.",
        "quartz",
    ),
    (
        "In which country is Machu Picchu?",
        "Peru",
        "Machu Picchu is a 15th-century Inca citadel in Peru.",
        "Bolivia",
    ),
    (
        "What is the boiling point of water at sea level in Celsius?",
        "100",
        "At sea level water boils at 100 °C.",
        "90",
    ),
    (
        "Who was the first woman to win a Nobel Prize?",
        "Marie Curie",
        "Marie Curie won the Nobel Prize in Physics in 1903.",
        "Ada Lovelace",
    ),
    (
        "Which language has the most native speakers?",
        "Mandarin Chinese",
        "Mandarin has over 900 million native speakers.",
        "English",
    ),
    ("What is the currency of Japan?", "the yen", "The yen has been Japan's currency since 1871.", "the won"),
    (
        "How many continents are there?",
        "seven",
        "The seven continents include Antarctica and Oceania.",
        "six",
    ),
    ("Which instrument has 88 keys?", "the piano", "A standard piano keyboard has 88 keys.", "the organ"),
    ("What is the chemical formula of table salt?", "NaCl", "Table salt is sodium chloride, NaCl.", "KCl"),
    (
        "Who wrote 'One Hundred Years of Solitude'?",
        "Gabriel García Márquez",
        "García Márquez published the novel in 1967.",
        "Jorge Luis Borges",
    ),
    (
        "Which city hosted the 2012 Summer Olympics?",
        "London",
        "London hosted the Summer Olympics in 2012.",
        "Beijing",
    ),
)
BRIDGES = (
    ("the director of Jaws", "Steven Spielberg", "Ohio", "Cincinnati"),
    ("the author of Dune", "Frank Herbert", "Washington", "Tacoma"),
    ("the founder of SpaceX", "Elon Musk", "South Africa", "Pretoria"),
    ("the composer of The Planets", "Gustav Holst", "England", "Cheltenham"),
    ("the inventor of the telephone", "Alexander Graham Bell", "Scotland", "Edinburgh"),
    ("the author of Things Fall Apart", "Chinua Achebe", "Nigeria", "Ogidi"),
    ("the painter of The Starry Night", "Vincent van Gogh", "the Netherlands", "Zundert"),
    ("the creator of Python", "Guido van Rossum", "the Netherlands", "Haarlem"),
)
SCIENCE = (
    (
        "Which process turns liquid water into water vapour?",
        ["condensation", "evaporation", "freezing", "melting"],
        "evaporation",
    ),
    (
        "What force keeps the planets in orbit around the Sun?",
        ["magnetism", "friction", "gravity", "inertia"],
        "gravity",
    ),
    (
        "Which part of the cell contains the genetic material?",
        ["nucleus", "membrane", "ribosome", "vacuole"],
        "nucleus",
    ),
    ("What kind of energy does a moving car have?", ["chemical", "kinetic", "nuclear", "thermal"], "kinetic"),
    (
        "Which gas makes up most of the Earth's atmosphere?",
        ["oxygen", "nitrogen", "argon", "carbon dioxide"],
        "nitrogen",
    ),
    ("What do bees collect from flowers to make honey?", ["pollen", "nectar", "sap", "water"], "nectar"),
    ("Which organ pumps blood through the body?", ["lungs", "liver", "heart", "kidneys"], "heart"),
    (
        "What is the main source of energy for the Earth?",
        ["the Moon", "the Sun", "volcanoes", "wind"],
        "the Sun",
    ),
)
NAMES = ("Ana", "Ben", "Chloé", "Dmitri", "Esi", "Farah", "Goro", "Hana", "Ivan", "Jade")
CLAUSES = (
    "payment is due within 30 days of the invoice date",
    "either party may terminate with 60 days' written notice",
    "the supplier's liability is capped at the fees paid in the last 12 months",
    "the agreement renews automatically for successive one-year terms",
)
HEADLINES = (
    (
        "The city council approved a new bike lane network after a two-year pilot cut downtown accidents "
        "by 18%.",
        "Council approves bike lanes after pilot cut accidents 18%.",
    ),
    (
        "Quarterly revenue rose 12% to $48M, driven by enterprise renewals, while churn fell to 2.1%.",
        "Revenue up 12% to $48M on enterprise renewals; churn down to 2.1%.",
    ),
    (
        "The library will extend weekend hours from March and add a free laptop loan service for students.",
        "Library extends weekend hours and adds free student laptop loans.",
    ),
)
